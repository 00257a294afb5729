/** `drover init`: its help text and flags, apart from its code so that `--help` and completion load nothing else. */

export const INIT_HELP = `drover init [<dir>] [--force] [--name NAME] [--drover SPEC]

Creates a drover project in <dir> (default: the current directory), ready to validate and deploy:
package.json (depends on drover), tsconfig.json, environments/qa.ts and prod.ts (prod deploys only
releases QA verified), jobs/web.ts (a service with a Fabio route, health checks, a Vault secret and
canary updates), the Vault policies and roles drover derives from it (vault-policies/, by the same
code as \`drover render\`) and build/<env>/, .gitignore, README.md, and the delivery pipelines
(.github/workflows/deploy.yml and .gitlab-ci.yml: test, deploy qa, approval, deploy prod).

Refuses a folder that is not empty (exit 64) unless --force, which overwrites files of the same
names and leaves the others.

  --name NAME     npm package name, recorded in job meta as drover.project (default: from <dir>)
  --drover SPEC   how package.json depends on drover (default: file:<path of this drover>, which
                  works on this machine; for CI use a git URL with a tag or a registry version)
  --force         write into a folder that is not empty
`;

export const INIT_OPTIONS = {
  name: { type: 'string' },
  drover: { type: 'string' },
  force: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

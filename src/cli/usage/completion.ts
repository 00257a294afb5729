/** `drover completion`: its help text and flags, apart from its code so that `--help` loads nothing else. */

/** `--help` text of `drover completion`. */
export const COMPLETION_HELP = `drover completion <bash|zsh|fish>

Prints a shell completion script: commands, each command's flags (and the values of --output,
--watch and --env), files for --project/--environments/--out, and environment names, which the
script reads from environments/*.ts (or --environments DIR, or --project DIR/environments) each
time you press Tab, so new environments complete without regenerating the script.

  bash   source <(drover completion bash)
         or save it as ~/.local/share/bash-completion/completions/drover
  zsh    source <(drover completion zsh)   (after compinit)
         or save it as _drover in a directory of $fpath
  fish   drover completion fish | source
         or save it as ~/.config/fish/completions/drover.fish

Exit: 0 printed, 64 usage (no or unknown shell).
`;

export const COMPLETION_OPTIONS = { help: { type: 'boolean', short: 'h' } } as const;

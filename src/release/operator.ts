import { hostname, userInfo } from 'node:os';

/**
 * `user@host` of whoever runs drover, recorded in releases. Read here (not in pure code) and
 * passed in; falls back to `USER`-less `unknown` where the OS has no user entry (some containers).
 */
export function currentOperator(): string {
  let user = 'unknown';
  try {
    user = userInfo().username || user;
  } catch {
    // userInfo() throws when the uid has no passwd entry (containers with arbitrary uids).
  }
  return `${user}@${hostname()}`;
}

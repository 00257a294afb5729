/**
 * A minimal terminal screen for testing live output: applies text the way a VT100-style terminal
 * would for the codes drover writes (\n, \r, cursor up `ESC[nA`, erase below `ESC[J`/`ESC[0J`,
 * erase line `ESC[2K`/`ESC[K`; colours are dropped) and wraps at `columns`. Not a full emulator:
 * an unknown escape sequence throws, so a reporter cannot start writing codes this does not model.
 */
export class Terminal {
  readonly isTTY = true;
  private rows: string[][] = [[]];
  private row = 0;
  private col = 0;

  constructor(readonly columns = 200) {}

  write(text: string): boolean {
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      if (ch === '\u001b') {
        const match = /^\u001b\[(\d*)([A-Za-z])/.exec(text.slice(i));
        if (!match) throw new Error(`Terminal: unsupported escape at ${JSON.stringify(text.slice(i, i + 8))}`);
        this.escape(match[1] === '' ? undefined : Number(match[1]), match[2]!, match[0]);
        i += match[0].length - 1;
      } else if (ch === '\n') this.moveTo(this.row + 1, 0);
      else if (ch === '\r') this.col = 0;
      else this.put(ch);
    }
    return true;
  }

  /** The visible screen: rows without trailing blanks, trailing empty rows dropped. */
  screen(): string[] {
    const lines = this.rows.map((r) => r.join('').replace(/\s+$/, ''));
    while (lines.length && lines[lines.length - 1] === '') lines.pop();
    return lines;
  }

  private escape(n: number | undefined, code: string, raw: string): void {
    if (code === 'm') return;
    if (code === 'A') this.row = Math.max(0, this.row - (n ?? 1));
    else if (code === 'J' && (n ?? 0) === 0) {
      this.rows[this.row] = (this.rows[this.row] ?? []).slice(0, this.col);
      this.rows.length = this.row + 1;
    } else if (code === 'K' && (n ?? 0) === 0) this.rows[this.row] = (this.rows[this.row] ?? []).slice(0, this.col);
    else if (code === 'K' && n === 2) this.rows[this.row] = [];
    else throw new Error(`Terminal: unsupported escape ${JSON.stringify(raw)}`);
  }

  private put(ch: string): void {
    if (this.col >= this.columns) this.moveTo(this.row + 1, 0);
    const line = (this.rows[this.row] ??= []);
    while (line.length < this.col) line.push(' ');
    line[this.col++] = ch;
  }

  private moveTo(row: number, col: number): void {
    this.row = row;
    this.col = col;
    while (this.rows.length <= row) this.rows.push([]);
  }
}

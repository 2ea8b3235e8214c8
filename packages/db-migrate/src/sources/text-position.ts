/** 1-based line and column of the character at `index` of `text`. */
export function lineAndColumnAt(text: string, index: number): { line: number; column: number } {
  const clamped = Math.max(0, Math.min(index, text.length));
  let line = 1;
  let lineStart = 0;
  for (let position = text.indexOf('\n'); position !== -1 && position < clamped; position = text.indexOf('\n', position + 1)) {
    line += 1;
    lineStart = position + 1;
  }
  return { line, column: clamped - lineStart + 1 };
}

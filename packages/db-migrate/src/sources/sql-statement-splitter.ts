import { postgreSplitterOptions, splitQuery } from 'dbgate-query-splitter';

/** One statement of a SQL text and where it starts. */
export interface SqlStatement {
  /** The statement without its terminating semicolon. */
  readonly text: string;
  /** Character offset of the statement's first character in the text that was split. */
  readonly start: number;
}

interface Piece {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

const splitterOptions = { ...postgreSplitterOptions, returnRichInfo: true };
const beginAtomic = /\bbegin\s+atomic\b/i;

/** Removes leading whitespace and comments, so the first keyword of a statement can be read. */
export function stripLeadingComments(statement: string): string {
  let rest = statement;
  for (;;) {
    const match = /^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)/.exec(rest);
    if (!match || match[0].length === 0) return rest;
    rest = rest.slice(match[0].length);
  }
}

function pieces(sql: string): Piece[] {
  const result: Piece[] = [];
  for (const item of splitQuery(sql, splitterOptions)) {
    if (typeof item === 'string') continue;
    // `text` is trimmed: it begins at `trimStart`, not at `start`.
    const start = (item.trimStart ?? item.start).position;
    result.push({ text: item.text, start, end: start + item.text.length });
  }
  return result;
}

/**
 * Splits PostgreSQL text into statements with `dbgate-query-splitter`, a small, maintained,
 * dependency-free splitter that understands quotes, dollar quoting and comments. SQL-standard
 * function bodies (`BEGIN ATOMIC … END`, PostgreSQL 14+), whose inner semicolons the
 * splitter cuts at, are put back together. Statements that are only comments are dropped.
 *
 * Used to run files that opted out of the transaction statement by statement, to check a
 * file against its transaction mode, and to name the statement an error happened in;
 * transactional files are sent to PostgreSQL whole.
 */
export function splitSqlStatements(sql: string): SqlStatement[] {
  const statements: SqlStatement[] = [];
  const all = pieces(sql);
  for (let index = 0; index < all.length; index += 1) {
    const piece = all[index]!;
    let end = piece.end;
    if (beginAtomic.test(piece.text)) {
      while (index + 1 < all.length) {
        index += 1;
        end = all[index]!.end;
        if (/^end$/i.test(stripLeadingComments(all[index]!.text).trim())) break;
      }
    }
    const text = sql.slice(piece.start, end);
    if (stripLeadingComments(text).length > 0) statements.push({ text, start: piece.start });
  }
  return statements;
}

/** The statement containing the character at `index` of `sql`, if any. */
export function findStatementAt(sql: string, index: number): SqlStatement | undefined {
  let found: SqlStatement | undefined;
  for (const statement of splitSqlStatements(sql)) {
    if (statement.start <= index) found = statement;
    else break;
  }
  return found;
}

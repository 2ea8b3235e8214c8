import { postgreSplitterOptions, splitQuery } from 'dbgate-query-splitter';

/** One statement of a SQL text and where it starts. */
export interface SqlStatement {
  /** The statement without its terminating semicolon. */
  readonly text: string;
  /** Character offset of the statement's first character in the text that was split. */
  readonly start: number;
}

const splitterOptions = { ...postgreSplitterOptions, returnRichInfo: true };

/**
 * Splits PostgreSQL text into statements with `dbgate-query-splitter`, a small, maintained,
 * dependency-free splitter that understands quotes, dollar quoting and comments. Used only
 * where statements must be sent one by one (files that opted out of the transaction) and to
 * name the statement an error happened in; transactional files are sent whole.
 * Statements that are only comments are dropped.
 */
export function splitSqlStatements(sql: string): SqlStatement[] {
  const items = splitQuery(sql, splitterOptions);
  const statements: SqlStatement[] = [];
  for (const item of items) {
    if (typeof item === 'string') continue;
    if (stripLeadingComments(item.text).length === 0) continue;
    statements.push({ text: item.text, start: item.start.position });
  }
  return statements;
}

/** Removes leading whitespace and comments, so the first keyword of a statement can be read. */
export function stripLeadingComments(statement: string): string {
  let rest = statement;
  for (;;) {
    const match = /^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)/.exec(rest);
    if (!match || match[0].length === 0) return rest;
    rest = rest.slice(match[0].length);
  }
}

/** The statement containing the character at `index` of `sql`, if any. */
export function findStatementAt(sql: string, index: number): SqlStatement | undefined {
  const statements = splitSqlStatements(sql);
  let found: SqlStatement | undefined;
  for (const statement of statements) {
    if (statement.start <= index) found = statement;
    else break;
  }
  return found;
}

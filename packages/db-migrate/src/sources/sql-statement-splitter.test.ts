import { describe, expect, it } from 'vitest';
import { findStatementAt, splitSqlStatements } from './sql-statement-splitter.js';

describe('splitSqlStatements', () => {
  it('splits on semicolons outside strings, identifiers, dollar quotes and comments, with offsets', () => {
    const sql = `select 'a;b' as "c;d";\n-- only a comment;\n/* x; */ select $tag$ ; $tag$;\n  select 3`;
    const statements = splitSqlStatements(sql);
    expect(statements.map((statement) => statement.text)).toEqual([`select 'a;b' as "c;d"`, '-- only a comment;\n/* x; */ select $tag$ ; $tag$', 'select 3']);
    for (const statement of statements) expect(sql.slice(statement.start, statement.start + statement.text.length)).toBe(statement.text);
  });

  it('keeps BEGIN ATOMIC function bodies whole, but still splits a plain BEGIN; … COMMIT;', () => {
    const sql = 'create function f() returns int language sql begin atomic select 1; select case when true then 2 end; end;\nbegin;\nselect 4;\ncommit;';
    expect(splitSqlStatements(sql).map((statement) => statement.text)).toEqual([
      'create function f() returns int language sql begin atomic select 1; select case when true then 2 end; end',
      'begin',
      'select 4',
      'commit',
    ]);
  });

  it('finds the statement at a character offset', () => {
    const sql = 'select 1;\nselect 2;\nselect 3;';
    expect(findStatementAt(sql, sql.indexOf('2'))).toEqual({ text: 'select 2', start: 10 });
    expect(findStatementAt(sql, 0)).toEqual({ text: 'select 1', start: 0 });
  });
});

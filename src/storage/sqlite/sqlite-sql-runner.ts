import type Database from 'better-sqlite3';
import type { SqlRunner } from '../../history/sql-call-history.js';
import type { Statement } from '../../history/history-writes.js';
import type { SqliteDatabase } from './sqlite-database.js';

/** Runs a shared statement at once (inside the caller's transaction, if any); returns the rows it changed. */
export type SqliteExecute = (statement: Statement) => number;

/** Shared statements on SQLite, each prepared once. */
export function sqliteExecutor(db: SqliteDatabase): {
  execute: SqliteExecute;
  all: (statement: Statement) => Record<string, unknown>[];
} {
  const prepared = new Map<string, Database.Statement<unknown[]>>();
  const prepare = (sql: string) => {
    let statement = prepared.get(sql);
    if (statement === undefined) {
      statement = db.prepare<unknown[]>(sql);
      prepared.set(sql, statement);
    }
    return statement;
  };
  return {
    execute: (statement) => prepare(statement.sql).run(...statement.params).changes,
    all: (statement) => prepare(statement.sql).all(...statement.params) as Record<string, unknown>[],
  };
}

/** Shared SQL (the call history's) on SQLite. */
export function sqliteSqlRunner(db: SqliteDatabase): SqlRunner {
  const { execute, all } = sqliteExecutor(db);
  const ifChanged = db.transaction((first: Statement, then: readonly Statement[]): number => {
    if (execute(first) === 0) return 0;
    return then.reduce((_, statement) => execute(statement), 0);
  });
  const run = db.transaction((statements: readonly Statement[]): number =>
    statements.reduce((_, statement) => execute(statement), 0),
  );
  return {
    all: (statement) => Promise.resolve(all(statement)),
    ifChanged: (first, then) => Promise.resolve(ifChanged(first, then)),
    run: (statements) => Promise.resolve(run(statements)),
  };
}

import type Database from 'better-sqlite3';
import type { SqlRunner } from '../../history/sql-call-history.js';
import type { RowChange, Statement } from '../../history/history-writes.js';
import type { SqliteDatabase } from './sqlite-database.js';

/** Shared statements on SQLite, each prepared once. */
export function sqliteExecutor(db: SqliteDatabase): {
  /** Runs a statement at once (inside the caller's transaction, if any); returns the rows it changed. */
  execute: (statement: Statement) => number;
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

/** A row change (RowChange) inside the caller's transaction; true when its first statement changed a row. */
export function changeRowNow(executor: ReturnType<typeof sqliteExecutor>, steps: RowChange): boolean {
  const { execute, all } = executor;
  if (execute(steps.first) === 0) return false;
  const [before] = all(steps.read);
  execute(steps.change);
  const [after] = all(steps.read);
  if (before !== undefined && after !== undefined) {
    for (const statement of steps.follow(before, after)) execute(statement);
  }
  return true;
}

/** Shared SQL (the call history's) on SQLite. */
export function sqliteSqlRunner(db: SqliteDatabase): SqlRunner {
  const executor = sqliteExecutor(db);
  const changeRow = db.transaction((steps: RowChange) => changeRowNow(executor, steps));
  const run = db.transaction((statements: readonly Statement[]): number =>
    statements.reduce((_, statement) => executor.execute(statement), 0),
  );
  return {
    all: (statement) => Promise.resolve(executor.all(statement)),
    changeRow: (steps) => Promise.resolve(changeRow(steps)),
    run: (statements) => Promise.resolve(run(statements)),
  };
}

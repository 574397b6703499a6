import { FundflowError } from '@fundflow/core';
import initSqlJs, { type Database, type SqlValue } from 'sql.js';

/** The contiguous block range of one node the index holds, and the hash of its top block (to notice a reorg). */
export interface ScannedRange {
  from: number;
  to: number;
  toHash: string;
}

/** What a scan learnt from one block: who spent what, and which addresses each transaction touched. */
export interface IndexedBlock {
  height: number;
  hash: string;
  txs: Array<{
    txid: string;
    /** Outpoints spent, by input index (coinbase inputs are left out). */
    spends: Array<{ txid: string; vout: number; vin: number }>;
    /** Addresses of the outputs, by vout (undefined for outputs without one). */
    outputs: Array<string | undefined>;
  }>;
}

export interface IndexedSpend {
  txid: string;
  vin: number;
  height: number;
}

export interface IndexedAddressTx {
  txid: string;
  height: number;
  /** Position in its block. */
  pos: number;
}

/**
 * Outpoint → spender and address → transactions, per node, over the block ranges scanned so far. Bitcoin Core has no
 * spend index and no address index: a node-backed source fills this by scanning blocks, once.
 */
export interface SpendIndex {
  range(node: string): ScannedRange | undefined;
  /** Adds blocks (any order within the call) and sets the node's range to `range`. All or nothing. */
  add(node: string, blocks: readonly IndexedBlock[], range: ScannedRange): void;
  /** The spender of each output `0 … count-1` of `txid`, or undefined while unspent in the scanned range. */
  spenders(node: string, txid: string, count: number): Array<IndexedSpend | undefined>;
  /** Transactions touching `address` (output to it, or input spending an output of it that the index saw), newest
   * first, strictly older than `before` when given. */
  addressTxs(
    node: string,
    address: string,
    limit: number,
    before?: { height: number; pos: number },
  ): IndexedAddressTx[];
  /** Forgets everything about a node (after a reorg, or a different regtest chain with the same genesis). */
  reset(node: string): void;
  /** Writes the index to its file, if it has one. */
  flush(): Promise<void>;
  close(): void;
}

export interface SqliteSpendIndexOptions {
  /** File to load from and save to (after every scan). Default: in memory only. */
  path?: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS ranges (node TEXT PRIMARY KEY, from_height INTEGER NOT NULL, to_height INTEGER NOT NULL, to_hash TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS txo (
  node TEXT NOT NULL, txid TEXT NOT NULL, vout INTEGER NOT NULL,
  address TEXT, spender TEXT, vin INTEGER, spend_height INTEGER, spend_pos INTEGER,
  PRIMARY KEY (node, txid, vout)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS address_tx (
  node TEXT NOT NULL, address TEXT NOT NULL, height INTEGER NOT NULL, pos INTEGER NOT NULL, txid TEXT NOT NULL,
  PRIMARY KEY (node, address, height, pos)
) WITHOUT ROWID;
`;
const SCHEMA_VERSION = 'fundflow.spend-index/1';

/**
 * A {@link SpendIndex} in SQLite, run by sql.js (SQLite compiled to WebAssembly: no native build, works in Node and
 * browsers). In memory by default; with `path` the database is loaded from that file and written back (atomically)
 * after every scan, so a second trace over the same range needs no rescan.
 * @example const index = await SqliteSpendIndex.open({ path: '.fundflow-cache/ltc-regtest.sqlite' });
 */
export class SqliteSpendIndex implements SpendIndex {
  readonly #db: Database;
  readonly #path: string | undefined;
  #dirty = false;

  private constructor(db: Database, path: string | undefined) {
    this.#db = db;
    this.#path = path;
    db.run(SCHEMA);
    const version = this.#one('SELECT value FROM meta WHERE key = ?', ['schema']);
    if (version === undefined) db.run('INSERT INTO meta (key, value) VALUES (?, ?)', ['schema', SCHEMA_VERSION]);
    else if (version[0] !== SCHEMA_VERSION) {
      throw new FundflowError('UNSUPPORTED', `spend index ${path ?? ''} has schema ${String(version[0])}`, {
        details: { path: path ?? null, schema: String(version[0]), expected: SCHEMA_VERSION },
      });
    }
  }

  /** Opens (or creates) an index; in memory unless `path` is given. */
  static async open(options: SqliteSpendIndexOptions = {}): Promise<SqliteSpendIndex> {
    const SQL = await initSqlJs();
    let data: Uint8Array | undefined;
    if (options.path !== undefined) {
      const fs = await import('node:fs/promises');
      try {
        data = new Uint8Array(await fs.readFile(options.path));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
    }
    let db: Database;
    try {
      db = new SQL.Database(data);
      return new SqliteSpendIndex(db, options.path);
    } catch (cause) {
      if (cause instanceof FundflowError) throw cause;
      throw new FundflowError(
        'FIXTURE_CORRUPT',
        `${options.path} is not a spend index (SQLite): delete it to rebuild`,
        {
          details: { path: options.path ?? null },
          cause,
        },
      );
    }
  }

  range(node: string): ScannedRange | undefined {
    const row = this.#one('SELECT from_height, to_height, to_hash FROM ranges WHERE node = ?', [node]);
    if (row === undefined) return undefined;
    return { from: Number(row[0]), to: Number(row[1]), toHash: String(row[2]) };
  }

  add(node: string, blocks: readonly IndexedBlock[], range: ScannedRange): void {
    const db = this.#db;
    const output = db.prepare(
      `INSERT INTO txo (node, txid, vout, address) VALUES (?, ?, ?, ?)
       ON CONFLICT (node, txid, vout) DO UPDATE SET address = excluded.address
       RETURNING spender, spend_height, spend_pos`,
    );
    const spend = db.prepare(
      `INSERT INTO txo (node, txid, vout, spender, vin, spend_height, spend_pos) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (node, txid, vout) DO UPDATE SET spender = excluded.spender, vin = excluded.vin,
         spend_height = excluded.spend_height, spend_pos = excluded.spend_pos
       RETURNING address`,
    );
    const touch = db.prepare(
      'INSERT OR IGNORE INTO address_tx (node, address, height, pos, txid) VALUES (?, ?, ?, ?, ?)',
    );
    db.run('BEGIN');
    try {
      for (const block of blocks) {
        block.txs.forEach((tx, pos) => {
          tx.outputs.forEach((address, vout) => {
            if (address === undefined) return;
            const spent = output.get([node, tx.txid, vout, address]);
            output.reset();
            touch.run([node, address, block.height, pos, tx.txid]);
            // The spender was indexed first (a scan of a lower range after a higher one): it touched this address too.
            if (spent[0] !== null && spent[0] !== undefined) {
              touch.run([node, address, Number(spent[1]), Number(spent[2]), String(spent[0])]);
            }
          });
          for (const s of tx.spends) {
            const row = spend.get([node, s.txid, s.vout, tx.txid, s.vin, block.height, pos]);
            spend.reset();
            if (row[0] !== null && row[0] !== undefined) touch.run([node, String(row[0]), block.height, pos, tx.txid]);
          }
        });
      }
      db.run(
        `INSERT INTO ranges (node, from_height, to_height, to_hash) VALUES (?, ?, ?, ?)
         ON CONFLICT (node) DO UPDATE SET from_height = excluded.from_height, to_height = excluded.to_height,
           to_hash = excluded.to_hash`,
        [node, range.from, range.to, range.toHash],
      );
      db.run('COMMIT');
    } catch (e) {
      db.run('ROLLBACK');
      throw e;
    } finally {
      output.free();
      spend.free();
      touch.free();
    }
    this.#dirty = true;
  }

  spenders(node: string, txid: string, count: number): Array<IndexedSpend | undefined> {
    const out: Array<IndexedSpend | undefined> = Array.from({ length: count }, () => undefined);
    const stmt = this.#db.prepare(
      'SELECT vout, spender, vin, spend_height FROM txo WHERE node = ? AND txid = ? AND spender IS NOT NULL',
    );
    try {
      stmt.bind([node, txid]);
      while (stmt.step()) {
        const [vout, spender, vin, height] = stmt.get();
        const i = Number(vout);
        if (i < count) out[i] = { txid: String(spender), vin: Number(vin), height: Number(height) };
      }
    } finally {
      stmt.free();
    }
    return out;
  }

  addressTxs(
    node: string,
    address: string,
    limit: number,
    before?: { height: number; pos: number },
  ): IndexedAddressTx[] {
    const where = before === undefined ? '' : 'AND (height < ? OR (height = ? AND pos < ?))';
    const params: SqlValue[] = [node, address];
    if (before !== undefined) params.push(before.height, before.height, before.pos);
    params.push(limit);
    const stmt = this.#db.prepare(
      `SELECT txid, height, pos FROM address_tx WHERE node = ? AND address = ? ${where}
       ORDER BY height DESC, pos DESC LIMIT ?`,
    );
    const out: IndexedAddressTx[] = [];
    try {
      stmt.bind(params);
      while (stmt.step()) {
        const [txid, height, pos] = stmt.get();
        out.push({ txid: String(txid), height: Number(height), pos: Number(pos) });
      }
    } finally {
      stmt.free();
    }
    return out;
  }

  reset(node: string): void {
    for (const table of ['ranges', 'txo', 'address_tx']) this.#db.run(`DELETE FROM ${table} WHERE node = ?`, [node]);
    this.#dirty = true;
  }

  async flush(): Promise<void> {
    if (this.#path === undefined || !this.#dirty) return;
    const fs = await import('node:fs/promises');
    const { dirname } = await import('node:path');
    await fs.mkdir(dirname(this.#path), { recursive: true });
    const tmp = `${this.#path}.${process.pid}.tmp`;
    await fs.writeFile(tmp, this.#db.export());
    await fs.rename(tmp, this.#path);
    this.#dirty = false;
  }

  close(): void {
    this.#db.close();
  }

  #one(sql: string, params: SqlValue[]): SqlValue[] | undefined {
    const stmt = this.#db.prepare(sql);
    try {
      stmt.bind(params);
      return stmt.step() ? stmt.get() : undefined;
    } finally {
      stmt.free();
    }
  }
}

#!/usr/bin/env node
import { ENGINE_VERSION, isFundflowError } from '@fundflow/core';
import { Command, CommanderError, Option } from 'commander';
import { exportCommand } from './commands/export';
import { labelsCommand } from './commands/labels';
import { replayCommand } from './commands/replay';
import { reportCommand } from './commands/report';
import { traceCommand } from './commands/trace';
import { verifyCommand } from './commands/verify';
import { viewCommand } from './commands/view';
import { DEFAULT_STOP } from './options';
import { KNOWN_CHAINS } from './sources';

/** Exit codes: 0 ok, 1 the trace failed or did not reproduce, 2 usage (bad flags, invalid address). */
const EXIT_TRACE = 1;
const EXIT_USAGE = 2;

const collect = (value: string, previous: string[]) => [...previous, value];

export function buildProgram(): Command {
  const program = new Command()
    .name('fundflow')
    .description('Trace stolen funds forward on public blockchains; replay recorded cases offline as evidence.')
    .version(ENGINE_VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  program
    .command('trace')
    .description('Follow value out of seed addresses (or UTXO outpoints txid:vout) and write a fundflow.trace/1 file')
    .argument('<chain>', `chain to trace on (${KNOWN_CHAINS.join(', ')})`)
    .argument('<seeds...>', 'addresses whose outgoing value in the window is the stolen value, or outpoints txid:vout')
    .option(
      '--since <time>',
      "start of the theft window: the seeds' outgoing value in it is the stolen value (2018-01-25, ISO time or unix s)",
    )
    .option('--until <time>', 'end of the theft window')
    .option('--follow-until <time>', 'do not follow moves after this time (they stop as time-window)')
    .option('--policy <list>', 'taint policies to run side by side: fifo, haircut, poison', 'fifo,haircut,poison')
    .option('--max-hops <n>', 'hops to follow from the theft', '20')
    .option(
      '--min-amount <units>',
      'do not follow stolen amounts below this (base units: satoshi, wei, micro-XEM)',
      '0',
    )
    .option('--fan-out <n>', 'an address or transaction with more outgoing transfers is treated as a service', '100')
    .option('--stop <categories>', 'label categories that are cash-out points', DEFAULT_STOP)
    .option(
      '--asset <id>',
      "account chains: the asset to follow (e.g. ethereum:0xdAC1…), or 'all' to follow every asset and its swaps",
    )
    .option('--labels <file>', 'extra label pack (CSV or GraphSense TagPack YAML); repeatable', collect, [])
    .option('--no-builtin-labels', 'do not load the bundled packs (OFAC SDN 2024-09-27)')
    .option('--endpoint <url>', 'API root, e.g. https://mempool.space/api or http://127.0.0.1:3002')
    .option('--network <name>', 'network of the endpoint (bitcoin, testnet, signet, regtest, litecoin, …)')
    .addOption(
      new Option('--source <kind>', "source kind (default: the chain's usual one)").choices([
        'esplora',
        'bitcoin-rpc',
        'nis1',
        'jsonrpc',
        'etherscan',
        'blockscout',
      ]),
    )
    .option('--rps <n>', 'requests per second per host', '4')
    .option('--record <dir>', 'record every answer and write a replayable case (case.json + cassette) into <dir>')
    .option('--replay <dir>', 'answer every request from this cassette folder, offline')
    .option(
      '--checkpoint <file>',
      'journal answers here; rerun the same command after a kill to resume without repeating requests',
    )
    .option(
      '--api-key-env <var>',
      'read an API key from this environment variable (default for etherscan: ETHERSCAN_API_KEY); never written anywhere',
    )
    .option('-o, --out <file>', 'trace file to write', 'fundflow.trace.json')
    .option('--json', 'print the trace summary as JSON on stdout')
    .option('--no-progress', 'no progress line on stderr')
    .addHelpText(
      'after',
      `
Examples:
  $ fundflow trace bitcoin bc1q… --since 2024-05-31 --until 2024-06-30 --policy fifo --record fixtures/my-case
  $ fundflow trace regtest bcrt1q… --endpoint http://127.0.0.1:3002 --checkpoint trace.journal -o trace.json
  $ fundflow trace bitcoin <txid>:0 --max-hops 5 --min-amount 100000 --json`,
    )
    .action(async (chain: string, seeds: string[], opts, cmd: Command) => {
      const trace = await traceCommand(chain, seeds, { ...opts, ...cmd.optsWithGlobals() });
      if (opts.json) printJson(Object.fromEntries(Object.entries(trace.results).map(([k, v]) => [k, v?.summary])));
    });

  program
    .command('replay')
    .description('Trace a recorded fixture offline through its cassette and check its expected cash-outs')
    .argument('<fixture>', 'fixture folder with case.json and a cassette')
    .option('-o, --out <file>', 'trace file to write (default: <case>.trace.json)')
    .option('--no-builtin-labels', 'do not load the bundled packs')
    .option('--json', 'print the result as JSON on stdout')
    .addHelpText(
      'after',
      '\nExamples:\n  $ fundflow replay fixtures/sim-utxo-exchange-drain\n  $ fundflow replay fixtures/sim-utxo-exchange-drain -o out/trace.json --json',
    )
    .action(async (fixture: string, opts) => {
      const run = await replayCommand(fixture, opts);
      if (opts.json) {
        printJson({
          case: run.caseFile.name,
          provenance: run.caseFile.provenance,
          reproduced: run.mismatches.length === 0,
          mismatches: run.mismatches,
          summary: Object.fromEntries(Object.entries(run.trace.results).map(([k, v]) => [k, v?.summary])),
        });
      }
      if (run.mismatches.length > 0) {
        process.stderr.write(`does NOT reproduce the expected results:\n  ${run.mismatches.join('\n  ')}\n`);
        process.exitCode = EXIT_TRACE;
      } else {
        process.stderr.write('reproduces the expected results\n');
      }
    });

  program
    .command('verify')
    .description('Re-run a trace file offline from its cassette and prove it byte for byte')
    .argument('<trace>', 'a fundflow.trace/1 file')
    .option('--cassette <dir>', 'cassette folder (default: the case folder the trace file sits in)')
    .option('--labels <file>', 'label pack the trace used; repeatable', collect, [])
    .option('--json', 'print the result as JSON on stdout')
    .addHelpText(
      'after',
      '\nExamples:\n  $ fundflow verify fixtures/sim-utxo-exchange-drain/expected.trace.json\n  $ fundflow verify my.trace.json --cassette fixtures/my-case/cassette',
    )
    .action(async (file: string, opts) => {
      const { trace, entries } = await verifyCommand(file, opts);
      const edges = Object.values(trace.results).reduce((s, r) => s + (r?.edges.length ?? 0), 0);
      if (opts.json) printJson({ verified: true, edges, cassetteEntries: entries });
      process.stderr.write(
        `verified: ${file} reproduces byte for byte (${edges} edges, ${entries} cassette entries)\n`,
      );
    });

  program
    .command('labels')
    .description('List the label packs in use, or show the labels of an address with source, as-of date and confidence')
    .argument('[address]', 'address to look up')
    .option('--chain <chain>', 'chain of the address (default: try the common ones)')
    .option('--labels <file>', 'extra label pack; repeatable', collect, [])
    .option('--no-builtin-labels', 'do not load the bundled packs')
    .option('--json', 'print JSON on stdout')
    .addHelpText(
      'after',
      '\nExamples:\n  $ fundflow labels\n  $ fundflow labels 0x8589427373D6D84E98730D7795D8f6f8731FDA16 --chain ethereum',
    )
    .action(async (address: string | undefined, opts) => {
      const result = await labelsCommand(address, opts);
      if (opts.json) printJson(result);
    });

  program
    .command('export')
    .description('Write a trace file as a graph: JSON (graphology), CSV (nodes + edges), GEXF or GraphML, laid out')
    .argument('<trace>', 'a fundflow.trace/1 file')
    .option('--format <format>', 'json, csv, gexf or graphml', 'json')
    .option(
      '--level <level>',
      'nodes are: transfer (UTXO transactions), address, cluster (common input) or entity (label)',
      'address',
    )
    .option(
      '--layout <layout>',
      'node positions: hop (layered by hop), time (layered, x = time), force (ForceAtlas2), none',
      'hop',
    )
    .option(
      '-o, --out <path>',
      'output path (default: beside the trace; csv writes <out>.nodes.csv and <out>.edges.csv)',
    )
    .option('--asset <id>', "all-asset traces: the asset to export (default: the trace's own asset)")
    .option('--json', 'print what was written as JSON on stdout')
    .addHelpText(
      'after',
      '\nExamples:\n  $ fundflow export fixtures/sim-utxo-exchange-drain/expected.trace.json --format gexf -o out/case.gexf\n  $ fundflow export my.trace.json --format csv --level cluster -o out/case\n  $ fundflow export my.trace.json --format graphml --layout time --json',
    )
    .action((file: string, opts) => {
      const result = exportCommand(file, opts);
      if (opts.json) printJson(result);
    });

  program
    .command('report')
    .description(
      'Write a case report: Markdown and a self-contained HTML page with flow tables, cash-outs and the graph',
    )
    .argument('<trace>', 'a fundflow.trace/1 file')
    .option('-o, --out <path>', 'writes <path>.md, <path>.html and <path>.svg (default: <trace name>.report beside it)')
    .option('--policy <policy>', 'policy for the flow, path and pattern sections (default: the first traced)')
    .option('--x <axis>', 'x axis of the drawing: hop or time', 'hop')
    .option('--level <level>', 'graph level of the drawing: address, cluster, entity or transfer', 'address')
    .option('--json', 'print the files written as JSON on stdout')
    .addHelpText(
      'after',
      '\nExamples:\n  $ fundflow report fixtures/sim-utxo-exchange-drain/expected.trace.json -o out/report\n  $ fundflow report my.trace.json --policy haircut --x time',
    )
    .action((file: string, opts) => {
      const result = reportCommand(file, opts);
      if (opts.json) printJson(result);
    });

  program
    .command('view')
    .description(
      'Open a trace file in the graph viewer: builds it if needed and serves it on 127.0.0.1 (offline unless a node is expanded live)',
    )
    .argument('<trace>', 'a fundflow.trace/1 file')
    .option('--port <n>', 'first port to try (the next free one is taken if busy)', '4173')
    .option(
      '--connect <origins>',
      'extra origins live expansion may read (a local Esplora, a private node), added to the CSP; repeat or comma-separate',
      (v: string, prev: string[] = []) => [...prev, v],
    )
    .addHelpText(
      'after',
      '\nExamples:\n  $ fundflow view fixtures/nem-2018-exchange-drain/expected.trace.json\n  $ fundflow view my.trace.json --port 8080\n  $ fundflow view my.trace.json --connect http://127.0.0.1:3002',
    )
    .action(async (file: string, opts) => {
      await viewCommand(file, opts);
    });

  return program;
}

function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`);
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  const json = argv.includes('--json');
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.exitCode === 0
        ? 0
        : EXIT_USAGE;
    }
    const usage = isFundflowError(e, 'INVALID_ADDRESS') || isFundflowError(e, 'INVALID_ARGUMENT');
    if (isFundflowError(e)) {
      if (json) printJson({ error: e.toJSON() });
      process.stderr.write(`error ${e.code}: ${e.message}\n`);
    } else {
      process.stderr.write(`error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    }
    return usage ? EXIT_USAGE : EXIT_TRACE;
  }
}

const isMain = process.argv[1] !== undefined && /main\.ts$|fundflow(\.mjs)?$/.test(process.argv[1]);
if (isMain) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

// The contract from the command line: list every operation with its input JSON Schema, or run any of
// them through the dispatcher exactly as the app would.
import { z } from 'zod';
import { ConcordatError } from '../../contract/errors.js';
import { needsJustification, type OperationDefinition } from '../../contract/operation.js';
import { secretFieldPaths } from '../../contract/fields.js';
import { OPERATION_NAMES, isOperationName, operations } from '../../contract/operations.js';
import { dispatch, type CallMeta } from '../../dispatch/dispatcher.js';
import type { Command } from '../command.js';
import { parseJsonOption } from '../args.js';
import { closeHost, newHost, withSession } from '../context.js';
import { unwrap, usageError } from '../output.js';

const MAX_INPUT_BYTES = 10 * 1024 * 1024;

type JsonSchema = Record<string, unknown>;

export interface OperationListing {
  name: string;
  summary: string;
  access: 'public' | readonly string[];
  audit: { kind: string; entity: string } | null;
  justificationRequired: boolean;
  inputSchema: JsonSchema;
}

export function listOperations(): OperationListing[] {
  return OPERATION_NAMES.map((name) => {
    const definition: OperationDefinition = operations[name];
    return {
      name,
      summary: definition.summary,
      access: definition.access,
      audit: definition.audit,
      justificationRequired: needsJustification(definition),
      // 'any' rather than throwing: a future schema with a transform must not break the listing of all the rest.
      inputSchema: z.toJSONSchema(definition.input, { io: 'input', unrepresentable: 'any' }) as JsonSchema,
    };
  });
}

/** One line per input field, e.g. `role*: manager|statutory|non_statutory` (* = required). */
function describeInput(schema: JsonSchema): string {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const requiredNames = new Set((schema.required ?? []) as string[]);
  const names = Object.keys(properties);
  if (names.length === 0) return '{}';
  const typeOf = (p: JsonSchema): string => {
    if (Array.isArray(p.enum)) return p.enum.map(String).join('|');
    if (Array.isArray(p.anyOf)) return (p.anyOf as JsonSchema[]).map(typeOf).join(' or ');
    if (p.type === 'array' && p.items) return `${typeOf(p.items as JsonSchema)}[]`;
    return typeof p.type === 'string' ? p.type : 'any';
  };
  return names.map((n) => `${n}${requiredNames.has(n) ? '*' : ''}: ${typeOf(properties[n]!)}`).join(', ');
}

export const ops: Command = {
  name: 'ops',
  usage: '[--json]',
  summary: 'Lists every operation: what it does, who may call it, what it audits, and its input (JSON Schema with --json).',
  options: [],
  args: { min: 0, max: 0 },
  async run(ctx) {
    const listing = listOperations();
    ctx.out.data({ operations: listing });
    for (const op of listing) {
      const access = op.access === 'public' ? 'public (no session)' : op.access.join(', ');
      const audit = op.audit ? `${op.audit.kind} of ${op.audit.entity}` : 'not audited by the dispatcher';
      ctx.out.line(op.name);
      ctx.out.line(`  ${op.summary}`);
      ctx.out.line(`  access: ${access} · audit: ${audit}${op.justificationRequired ? ' · justification required' : ''}`);
      ctx.out.line(`  input: ${describeInput(op.inputSchema)}`);
    }
  },
};

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_INPUT_BYTES) throw usageError('The input on stdin is larger than 10 MiB.');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function readInput(option: string | undefined): Promise<unknown> {
  if (option === undefined) return {};
  const text = option === '-' ? await readStdin() : option;
  return parseJsonOption(text, 'input', option === '-' ? ' (read from stdin)' : '');
}

export const call: Command = {
  name: 'call',
  usage: 'OPERATION [--input JSON|-] [--justification TEXT] --user NAME',
  summary: 'Runs any operation through the dispatcher as --user and prints its value as JSON.',
  details: `--input - reads the JSON from stdin (then the passphrase must come from CONCORDAT_PASSPHRASE).
Public operations (store.status, store.init, session.unlock) run without unlocking first.
--justification sets the reason recorded on this call's audit entry (needed for consultation and disclosure).`,
  options: ['input', 'justification'],
  args: { min: 1, max: 1 },
  async run(ctx) {
    const name = ctx.args[0]!;
    // The dispatcher would say the same, but only after a passphrase had been typed for nothing.
    if (!isOperationName(name))
      throw new ConcordatError(
        'UNKNOWN_OPERATION',
        `There is no operation called ${JSON.stringify(name.slice(0, 100))}. \`concordat ops\` lists them.`,
      );
    const secrets = secretFieldPaths(operations[name].input);
    if (secrets.length > 0 && ctx.options.input !== undefined && ctx.options.input !== '-') {
      // A command line is readable by every process of the machine (/proc/*/cmdline) and kept in shell history.
      throw usageError(
        `${name} takes a secret (${secrets.join(', ')}): give its input on stdin with \`--input -\`, not on the command line.`,
      );
    }
    const input = await readInput(ctx.options.input);
    const meta: CallMeta = ctx.options.justification === undefined ? {} : { justification: ctx.options.justification };
    if (operations[name].access !== 'public') {
      await withSession(ctx, async (host) => ctx.out.value(unwrap(await dispatch(host, name, input, meta))));
      return;
    }
    const host = newHost(ctx);
    let succeeded = false;
    try {
      ctx.out.value(unwrap(await dispatch(host, name, input, meta)));
      succeeded = true;
    } finally {
      await closeHost(host, succeeded);
    }
  },
};

import { writeFileSync } from 'node:fs';
import {
  CheckpointBook,
  evidenceSigningKey,
  exportBundle,
  fingerprint,
  publicKeyPem,
  takeCheckpoint,
  verifyBundle,
  type BundleScope,
} from '@keystone/audit';
import {
  isoDate,
  option,
  print,
  readInput,
  requiredOption,
  trustedKeys,
  UsageError,
  type Command,
} from '../cli-kit';

/** `export --case ID | --from T --to T --out FILE`: a signed evidence bundle. */
export const exportEvidence: Command = async ({ config, json, values, store }) => {
  const out = requiredOption(values, 'out', 'the file to write the bundle to');
  const caseId = option(values, 'case');
  const from = option(values, 'from');
  const to = option(values, 'to');
  let scope: BundleScope;
  if (caseId && !from && !to) scope = { caseId };
  else if (!caseId && from && to) scope = { from: isoDate(from, 'from'), to: isoDate(to, 'to') };
  else throw new UsageError('export takes either --case ID, or --from T and --to T');
  const bundle = await exportBundle(
    await store(),
    scope,
    evidenceSigningKey(config.evidenceKeyFile),
    new Date(),
  );
  if (bundle.events.length === 0)
    throw new UsageError('nothing to export: no event matches that scope');
  writeFileSync(out, `${JSON.stringify(bundle, null, 2)}\n`);
  return print(
    json,
    { out, events: bundle.events.length, streams: Object.keys(bundle.chainHeads).length },
    (r) => `exported ${r.events} events of ${r.streams} streams to ${r.out}, signed`,
  );
};

/**
 * `verify-bundle FILE (--public-key PEM | --keyring FILE)`: offline, read-only; trusts only the keys
 * given; exit 1 with the reasons when it does not hold (a bundle by an unknown key does not).
 */
export const verifyEvidence: Command = async ({ json, positionals, values }) => {
  const file = positionals[1];
  if (!file) throw new UsageError('verify-bundle needs the bundle file');
  const result = verifyBundle(readInput(file), trustedKeys(values));
  print(json, result, (r) =>
    [
      `signer: ${r.signer ?? 'unreadable'}`,
      r.ok
        ? `bundle holds: ${r.events} events of ${r.streams} streams, signed by a trusted key, signature and hash chains verified`
        : `bundle does NOT hold:\n${r.problems.map((p) => `  - ${p}`).join('\n')}`,
    ].join('\n'),
  );
  return result.ok ? 0 : 1;
};

/**
 * `checkpoint [--out FILE]`: signs the log position and the log hash the events give there, keeps
 * it beside the log, and writes it to FILE for publishing (the outside anchor of `verify --against`).
 */
export const checkpoint: Command = async ({ config, json, values, store }) => {
  const log = await store();
  const signed = await takeCheckpoint(log, evidenceSigningKey(config.evidenceKeyFile), new Date());
  await new CheckpointBook(log).keep(signed);
  const out = option(values, 'out');
  if (out) writeFileSync(out, `${JSON.stringify(signed, null, 2)}\n`);
  return print(json, { ...signed, signer: fingerprint(signed.publicKey), out: out ?? null }, (r) =>
    [
      `checkpoint: position ${r.logPosition}, log hash ${r.logHash}`,
      `signed by ${r.signer} at ${r.createdAt}${r.out ? `, written to ${r.out}` : ''}`,
      'publish it where the log cannot reach (with the public key): keystone verify --against FILE --public-key KEY',
    ].join('\n'),
  );
};

/** `public-key [--out FILE]`: the evidence key's public half and fingerprint, for auditors to pin. */
export const publicKey: Command = async ({ config, json, values }) => {
  const pem = publicKeyPem(evidenceSigningKey(config.evidenceKeyFile));
  const out = option(values, 'out');
  if (out) writeFileSync(out, pem);
  return print(
    json,
    { fingerprint: fingerprint(pem), publicKey: pem, out: out ?? null },
    (r) => `${r.fingerprint}\n${r.publicKey.trimEnd()}${r.out ? `\nwritten to ${r.out}` : ''}`,
  );
};

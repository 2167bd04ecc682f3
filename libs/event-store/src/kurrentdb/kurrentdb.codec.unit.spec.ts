import { prepareEvents, EMPTY_HEAD } from '../append-planning';
import { chainHash, GENESIS_HASH } from '../hash-chain';
import { testEvent } from '../testing/test-events';
import {
  decodeEvent,
  encodeEvent,
  expectedStateOf,
  KurrentNames,
  ledgerRevisionOf,
  linkTo,
  positionOfLedgerRevision,
  versionOfRevision,
  type KurrentEventData,
} from './kurrentdb.codec';

/** What a record looks like after the client's read: JSON data and metadata parsed from their text. */
function asRead(data: KurrentEventData, streamId: string, revision: bigint) {
  return {
    event: {
      streamId,
      id: data.id,
      revision,
      type: data.type,
      data: JSON.parse(JSON.stringify(data.data)),
      metadata: JSON.parse(JSON.stringify(data.metadata)),
    },
  };
}

describe('KurrentDB codec', () => {
  const names = new KurrentNames('ns.');

  it('numbers global positions as ledger revisions + 1, and versions as stream revisions + 1', () => {
    expect(ledgerRevisionOf(1)).toBe(0n);
    expect(ledgerRevisionOf(1_000_001)).toBe(1_000_000n);
    expect(positionOfLedgerRevision(0n)).toBe(1);
    expect(positionOfLedgerRevision(41n)).toBe(42);
    expect(versionOfRevision(0n)).toBe(1);
    expect(versionOfRevision(4)).toBe(5); // a number from the client is read the same
    expect(positionOfLedgerRevision(4)).toBe(5);
    expect(expectedStateOf(0)).toBe('no_stream');
    expect(expectedStateOf(3)).toBe(2n);
    expect(() => ledgerRevisionOf(0)).toThrow(/>= 1/);
    expect(() => positionOfLedgerRevision(BigInt(Number.MAX_SAFE_INTEGER))).toThrow(/outside/);
  });

  it('names the streams of one namespace, refusing reserved prefixes', () => {
    expect(names.stream('case-1')).toBe('ns.case-1');
    expect(names.ledger).toBe('ns.keystone.log');
    expect(names.idStream('ABC')).toBe('ns.keystone.id-abc');
    expect(names.keystoneStreamId('ns.case-1')).toBe('case-1');
    expect(() => names.stream('$ce-case')).toThrow(/reserves/);
    expect(() => names.keystoneStreamId('other.case-1')).toThrow(/outside this log/);
    expect(() => new KurrentNames('bad name!')).toThrow(/namespace/);
  });

  it('writes links as "<revision>@<stream>" octet-stream records of type $>', () => {
    const link = linkTo('ns.case-1', 7n);
    expect(link).toMatchObject({
      type: '$>',
      contentType: 'application/octet-stream',
      metadata: undefined,
    });
    expect(Buffer.from(link.data as Uint8Array).toString('utf8')).toBe('7@ns.case-1');
  });

  it('encodes metadata as string properties only, and decodes an event whose chain hash recomputes', () => {
    const withExtra = testEvent(
      'RequestMade',
      { state: 'Côte d’Ivoire', n: 1.5, list: [1, null] },
      {
        metadata: {
          ...testEvent().metadata,
          causationId: 'cmd-1',
          extra: { requestId: 'r-1', nested: { b: 1, a: 2 } },
        },
      },
    );
    const [first, second] = prepareEvents(
      'case-1',
      EMPTY_HEAD,
      [testEvent(), withExtra],
      '2026-11-26T10:00:00.000Z',
    );
    const encoded = encodeEvent(second, 12);
    expect(encoded.contentType).toBe('application/json');
    expect(Object.values(encoded.metadata ?? {}).every((v) => typeof v === 'string')).toBe(true);
    expect(encoded.metadata).toMatchObject({
      'ks.position': '12',
      'ks.causationId': 'cmd-1',
      $causationId: 'cmd-1',
      'ks.extra': '{"nested":{"a":2,"b":1},"requestId":"r-1"}',
      'ks.hash': second.hash,
    });

    const decoded = decodeEvent(asRead(encoded, 'ns.case-1', 1n), names);
    expect(decoded).toMatchObject({
      eventId: withExtra.eventId,
      streamId: 'case-1',
      streamVersion: 2,
      globalPosition: 12,
      type: 'RequestMade',
      schemaVersion: 1,
      data: { state: 'Côte d’Ivoire', n: 1.5, list: [1, null] },
      metadata: { causationId: 'cmd-1', extra: { requestId: 'r-1', nested: { a: 2, b: 1 } } },
    });
    expect(chainHash(first.hash, decoded)).toBe(decoded.hash);

    const plain = decodeEvent(asRead(encodeEvent(first, 11), 'ns.case-1', 0n), names);
    expect(plain.metadata.causationId).toBeNull();
    expect('extra' in plain.metadata).toBe(false);
    expect(chainHash(GENESIS_HASH, plain)).toBe(plain.hash);
  });

  it('refuses to decode what Keystone did not write, saying what is missing', () => {
    const [prepared] = prepareEvents('s', EMPTY_HEAD, [testEvent()], '2026-11-26T10:00:00.000Z');
    const read = asRead(encodeEvent(prepared, 1), 'ns.s', 0n);
    const without = (key: string) => {
      const metadata = { ...read.event.metadata };
      delete metadata[key];
      return { event: { ...read.event, metadata } };
    };
    expect(() => decodeEvent(without('ks.hash'), names)).toThrow(/lacks its "ks.hash" property/);
    expect(() => decodeEvent({ event: { ...read.event, metadata: undefined } }, names)).toThrow(
      /no Keystone metadata/,
    );
    expect(() =>
      decodeEvent(
        { event: { ...read.event, metadata: { ...read.event.metadata, 'ks.position': 'x' } } },
        names,
      ),
    ).toThrow(/not a number/);
    expect(() =>
      decodeEvent({ link: { ...read.event, data: Buffer.from('3@ns.s') } }, names),
    ).toThrow(/link "3@ns.s" points at an event that no longer exists/);
  });
});

/** Documents that must be refused, each with a status and a reason an officer can act on. */
import { describe, expect, it } from 'vitest';
import { capToIntent } from '../../controller/alerts/cap/map.js';
import { assertCapMediaType, parseCap } from '../../controller/alerts/cap/parse.js';
import { corpus, GEOCODES, messageOf, refusal } from './fixtures.js';

const MB = 1024 * 1024;
const parse = (body: string | Buffer, maxAudioBytes?: number) =>
  parseCap(body, { maxBytes: MB, ...(maxAudioBytes !== undefined ? { maxAudioBytes } : {}) });
const refused = (body: string | Buffer, maxAudioBytes?: number) => refusal(() => parse(body, maxAudioBytes));
const flood = corpus('01-flash-flood-polygon.xml').toString('utf8');
const withElement = (name: string, replacement: string) => {
  const re = new RegExp(`<${name}>[^<]*</${name}>`);
  expect(flood).toMatch(re);
  return flood.replace(re, replacement);
};

describe('XML attacks never reach the parser', () => {
  it('refuses billion laughs for its DOCTYPE, before expanding anything', () => {
    const e = refused(corpus('hostile/billion-laughs.xml'));
    expect([e.code, e.status]).toEqual(['LOA_CAP_DTD_FORBIDDEN', 400]);
    expect(messageOf(e)).toBe(
      'Bản tin chứa khai báo DOCTYPE, không được phép (chống tấn công thực thể XML) / ' +
        'document contains a DOCTYPE declaration, which is not allowed (XML entity attacks)',
    );
  });

  it('refuses an external entity and never shows the file it names', () => {
    const e = refused(corpus('hostile/xxe.xml'));
    expect(e.code).toBe('LOA_CAP_DTD_FORBIDDEN');
    expect(JSON.stringify(e.toBody())).not.toMatch(/root:/);
    const bare = refused(corpus('hostile/bare-entity.xml'));
    expect([bare.code, bare.details?.construct]).toEqual(['LOA_CAP_DTD_FORBIDDEN', 'ENTITY']);
  });

  it('refuses a 50 MB document by its size alone (413), never parsing it', () => {
    // malformed at the end: a parse would have answered 400, and taken seconds
    const huge = `<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><note>${'a'.repeat(50 * MB)}</note`;
    const bytes = Buffer.byteLength(huge);
    for (const body of [huge, Buffer.from(huge)]) {
      const started = performance.now();
      const e = refused(body);
      expect([e.code, e.status, e.details?.bytes, e.details?.limit]).toEqual(['LOA_CAP_TOO_LARGE', 413, bytes, MB]);
      expect(performance.now() - started).toBeLessThan(1000);
    }
    const small = `<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><note>${'a'.repeat(1000)}</note`;
    expect(refused(small).status).toBe(400); // the same document, small enough to read, is malformed
  });

  it('refuses an unknown entity reference (entities are not processed)', () => {
    const e = refused(withElement('scope', '<scope>Public</scope><note>a&nbsp;b</note>'));
    expect([e.code, e.status]).toEqual(['LOA_CAP_MALFORMED', 400]);
    expect(messageOf(e)).toMatch(/^XML không đúng cú pháp \(dòng 8, cột 31\): unknown or invalid entity reference "&nbsp;"/);
    const proto = refused(withElement('scope', '<scope>Public</scope><note>&constructor;</note>'));
    expect(proto.code).toBe('LOA_CAP_MALFORMED');
  });
});

describe('malformed or foreign documents', () => {
  it('refuses malformed XML (400) saying where', () => {
    const e = refused(corpus('hostile/malformed.xml'));
    expect([e.code, e.status]).toEqual(['LOA_CAP_MALFORMED', 400]);
    expect(messageOf(e)).toMatch(/^XML không đúng cú pháp \(dòng \d+, cột \d+\): .+ \/ malformed XML \(line \d+, column \d+\)/);
  });

  it('refuses the CAP 1.1 namespace and a root that is not <alert> (422)', () => {
    const old = refused(corpus('hostile/cap-1.1-namespace.xml'));
    expect([old.code, old.status]).toEqual(['LOA_CAP_NAMESPACE', 422]);
    expect(messageOf(old)).toMatch(/urn:oasis:names:tc:emergency:cap:1\.1/);
    const other = refused('<feed xmlns="urn:oasis:names:tc:emergency:cap:1.2"><alert/></feed>');
    expect(other.code).toBe('LOA_CAP_NAMESPACE');
    expect(refused('<alert><identifier>x</identifier></alert>').code).toBe('LOA_CAP_NAMESPACE');
  });

  it('refuses bytes that are not UTF-8 (415)', () => {
    expect(refused(Buffer.from(`\uFEFF${flood}`, 'utf16le')).status).toBe(415);
    expect(refused(Buffer.concat([Buffer.from(flood.slice(0, 300)), Buffer.from([0xc3, 0x28])])).status).toBe(415);
    const latin1 = flood.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"');
    expect(refused(latin1).code).toBe('LOA_CAP_MEDIA_TYPE');
  });

  it('accepts only XML content types in UTF-8', () => {
    expect(() => assertCapMediaType('application/cap+xml; charset=utf-8')).not.toThrow();
    expect(() => assertCapMediaType('text/xml')).not.toThrow();
    expect(refusal(() => assertCapMediaType('application/json')).status).toBe(415);
    expect(refusal(() => assertCapMediaType('text/xml; charset=iso-8859-1')).status).toBe(415);
    expect(refusal(() => assertCapMediaType(undefined)).status).toBe(415);
  });
});

describe('missing required elements (422), each named', () => {
  it.each(['identifier', 'sender', 'sent', 'status', 'msgType', 'scope', 'category', 'event', 'urgency', 'severity', 'certainty', 'areaDesc'])(
    '<%s>',
    (name) => {
      const e = refused(withElement(name, ''));
      expect([e.code, e.status]).toEqual(['LOA_CAP_MISSING', 422]);
      expect(messageOf(e)).toContain(`Thiếu phần tử <${name}>`);
      expect(messageOf(e)).toContain(`missing <${name}>`);
    },
  );

  it('says where: "Thiếu phần tử <identifier> trong alert / missing <identifier> in alert"', () => {
    expect(messageOf(refused(withElement('identifier', '')))).toBe(
      'Thiếu phần tử <identifier> trong alert / missing <identifier> in alert',
    );
    expect(messageOf(refused(withElement('areaDesc', '')))).toBe(
      'Thiếu phần tử <areaDesc> trong alert/info[1]/area[1] / missing <areaDesc> in alert/info[1]/area[1]',
    );
  });

  it('refuses an Actual alert without <info> when it is to be broadcast', () => {
    const noInfo = flood.replace(/<info>[\s\S]*<\/info>/, '');
    const e = refusal(() => capToIntent(parse(noInfo), { geocodeTable: GEOCODES }));
    expect([e.code, e.details?.element]).toEqual(['LOA_CAP_MISSING', 'info']);
  });
});

describe('bad values (422), naming the element, the value and what is allowed', () => {
  it.each([
    ['status', 'Actaul'], ['msgType', 'Alarm'], ['scope', 'Everyone'], ['category', 'Weather'],
    ['urgency', 'Now'], ['severity', 'High'], ['certainty', 'Sure'],
  ])('<%s> "%s"', (name, value) => {
    const e = refused(withElement(name, `<${name}>${value}</${name}>`));
    expect([e.code, e.status]).toEqual(['LOA_CAP_BAD_VALUE', 422]);
    expect(messageOf(e)).toMatch(new RegExp(`<${name}>.*"${value}" \\(một trong: .+\\) / invalid value of <${name}>.*"${value}" \\(one of: `));
  });

  it('refuses impossible or badly written times', () => {
    for (const sent of ['2025-02-30T10:00:00+07:00', '12/09/2025 14:30', '2025-09-12T24:00:00+07:00', '2025-09-12T14:30:00']) {
      const e = refused(withElement('sent', `<sent>${sent}</sent>`));
      expect([e.code, e.details?.element, e.details?.value]).toEqual(['LOA_CAP_BAD_VALUE', 'sent', sent]);
    }
  });

  it('refuses identifiers with spaces or commas, repeated elements and broken references', () => {
    expect(refused(withElement('identifier', '<identifier>DNG 001</identifier>')).code).toBe('LOA_CAP_BAD_VALUE');
    expect(refused(withElement('identifier', '<identifier>a,b</identifier>')).code).toBe('LOA_CAP_BAD_VALUE');
    const twice = refused(withElement('identifier', '<identifier>a</identifier><identifier>b</identifier>'));
    expect([twice.code, twice.details?.element]).toEqual(['LOA_CAP_REPEATED', 'identifier']);
    const refs = refused(withElement('scope', '<scope>Public</scope><references>sender,only-two</references>'));
    expect([refs.code, refs.details?.element]).toEqual(['LOA_CAP_BAD_VALUE', 'references']);
  });

  it.each([
    ['a bow-tie polygon', '<polygon>16.0,108.0 16.0,108.01 16.01,108.0 16.01,108.01 16.0,108.0</polygon>', /self-intersecting/],
    ['an unclosed polygon', '<polygon>16.0,108.0 16.0,108.01 16.01,108.01 16.01,108.0</polygon>', /must repeat the first/],
    ['a latitude of 95', '<polygon>16.0,108.0 95,108.01 16.01,108.01 16.0,108.0</polygon>', /out of range/],
    ['a circle without radius', '<circle>16.0,108.0</circle>', /is not "lat,lon radiusKm"/],
    ['a negative radius', '<circle>16.0,108.0 -1</circle>', /negative radius/],
  ])('refuses %s, naming the area', (_, shape, reason) => {
    const e = refused(withElement('polygon', shape));
    expect([e.code, e.status]).toEqual(['LOA_CAP_BAD_AREA', 422]);
    expect(messageOf(e)).toMatch(/^Vùng "Thung lũng suối Tà Lang" không hợp lệ: .+ \/ invalid area "Thung lũng suối Tà Lang": /);
    expect(messageOf(e)).toMatch(reason);
  });
});

describe('embedded audio', () => {
  const audioDoc = corpus('10-forest-fire-audio.xml').toString('utf8');

  it('refuses audio over the size limit (413) and a digest that does not match (422)', () => {
    const big = refused(audioDoc, 1000);
    expect([big.code, big.status, big.details?.bytes]).toEqual(['LOA_CAP_AUDIO_TOO_LARGE', 413, 1557]);
    const tampered = audioDoc.replace(/<digest>[0-9a-f]+<\/digest>/, `<digest>${'0'.repeat(40)}</digest>`);
    expect([refused(tampered).code, refused(tampered).details?.element]).toEqual(['LOA_CAP_BAD_VALUE', 'digest']);
  });

  it('refuses <derefUri> that is not base64', () => {
    const e = refused(audioDoc.replace(/<derefUri>[\s\S]*<\/derefUri>/, '<derefUri>not base64!</derefUri>'));
    expect([e.code, e.details?.element]).toEqual(['LOA_CAP_BAD_VALUE', 'derefUri']);
  });
});

describe('mapping refusals', () => {
  const intent = (xml: string) => capToIntent(parse(xml), { geocodeTable: GEOCODES });

  it('refuses a risk level parameter outside 1–5', () => {
    const e = refusal(() => intent(flood.replace('<value>3</value>', '<value>7</value>')));
    expect([e.code, e.details?.value]).toEqual(['LOA_CAP_BAD_VALUE', '7']);
  });

  it('does not broadcast an Ack or an Error message', () => {
    const e = refusal(() => intent(withElement('msgType', '<msgType>Ack</msgType>')));
    expect([e.code, e.status, e.details?.msgType]).toEqual(['LOA_CAP_NOT_BROADCAST', 422, 'Ack']);
  });

  it('refuses an alert that reaches no speaker rather than dropping it silently', () => {
    const nowhere = withElement('polygon', '<geocode><valueName>VN-THON</valueName><value>0000000</value></geocode>');
    const e = refusal(() => intent(nowhere));
    expect([e.code, e.status]).toEqual(['LOA_CAP_NO_TARGET', 422]);
    expect(messageOf(e)).toContain('"Thung lũng suối Tà Lang"');
  });
});

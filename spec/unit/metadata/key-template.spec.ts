import { expect } from 'chai';
import { ModelDefinitionError } from '../../../lib';
import { escapeTemplateValue, parseKeyTemplate } from '../../../lib/metadata/key-template';

describe('metadata: key templates', () => {
  it('parses literals and property references in order', () => {
    const t = parseKeyTemplate('ORG#{orgId}#PROJECT#{projectId}', 'X.pk');
    expect(t.source).to.equal('ORG#{orgId}#PROJECT#{projectId}');
    expect(t.parts).to.deep.equal([{ literal: 'ORG#' }, { property: 'orgId' }, { literal: '#PROJECT#' }, { property: 'projectId' }]);
    expect(t.properties).to.deep.equal(['orgId', 'projectId']);
  });

  it('a template may start with a reference, end with a literal and use $ and _ in names', () => {
    const t = parseKeyTemplate('{a_1}#{$b}#END', 'X.pk');
    expect(t.parts).to.deep.equal([{ property: 'a_1' }, { literal: '#' }, { property: '$b' }, { literal: '#END' }]);
  });

  for (const source of ['ORG#{org', 'ORG#{}', 'ORG#{1abc}', 'ORG#{a-b}', 'ORG#{ a }']) {
    it(`rejects the malformed reference in '${source}'`, () => {
      expect(() => parseKeyTemplate(source, 'Org.pk')).to.throw(
        ModelDefinitionError,
        `Org.pk: the key template '${source}' has a malformed reference; write {propertyName}.`,
      );
    });
  }

  it('rejects a template that names no property', () => {
    expect(() => parseKeyTemplate('ORG#', 'Org.pk')).to.throw(
      ModelDefinitionError,
      "Org.pk: the key template 'ORG#' names no property; write e.g. 'USER#{id}'.",
    );
  });

  it('escapes the separator and the escape character in values', () => {
    expect(escapeTemplateValue('plain')).to.equal('plain');
    expect(escapeTemplateValue('a#b')).to.equal('a\\#b');
    expect(escapeTemplateValue('a\\b')).to.equal('a\\\\b');
    // The backslash is escaped first, so an escaped '#' in the input stays unambiguous.
    expect(escapeTemplateValue('a\\#b')).to.equal('a\\\\\\#b');
    expect(escapeTemplateValue('##')).to.equal('\\#\\#');
    expect(escapeTemplateValue('')).to.equal('');
  });
});

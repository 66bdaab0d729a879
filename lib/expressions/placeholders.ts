/**
 * Assigns `#n` / `:v` placeholders for one request. Every attribute name goes through a
 * placeholder (so reserved words need no list) and every value too; only what was used is
 * sent, because DynamoDB rejects unused ones.
 *
 * @example
 * const p = new Placeholders();
 * `${p.name('status')} = ${p.value('active')}`; // '#n1 = :v1'
 * p.names(); // { '#n1': 'status' }
 */
export class Placeholders {
  private readonly nameMap = new Map<string, string>();
  private readonly valueMap: Record<string, unknown> = {};
  private readonly keyed = new Map<object, string>();
  private valueCount = 0;

  /** The placeholder of an attribute name (one per distinct name). */
  name(attributeName: string): string {
    let placeholder = this.nameMap.get(attributeName);
    if (!placeholder) {
      placeholder = `#n${this.nameMap.size + 1}`;
      this.nameMap.set(attributeName, placeholder);
    }
    return placeholder;
  }

  /** A document path (`a.b[2].c`, given as segments) with every name segment a placeholder. */
  path(segments: ReadonlyArray<string | number>): string {
    let out = '';
    for (const segment of segments) {
      out += typeof segment === 'number' ? `[${segment}]` : `${out === '' ? '' : '.'}${this.name(segment)}`;
    }
    return out;
  }

  /**
   * A new value placeholder; with a `key` (an operand node), the same key gets the same
   * placeholder again, so a param used twice in one expression is sent once.
   */
  value(value: unknown, key?: object): string {
    const known = key && this.keyed.get(key);
    if (known) return known;
    const placeholder = `:v${++this.valueCount}`;
    this.valueMap[placeholder] = value;
    if (key) this.keyed.set(key, placeholder);
    return placeholder;
  }

  /** ExpressionAttributeNames, or undefined when none was used. */
  names(): Record<string, string> | undefined {
    if (this.nameMap.size === 0) return undefined;
    const out: Record<string, string> = {};
    for (const [name, placeholder] of this.nameMap) out[placeholder] = name;
    return out;
  }

  /** ExpressionAttributeValues, or undefined when none was used. */
  values(): Record<string, unknown> | undefined {
    return this.valueCount === 0 ? undefined : this.valueMap;
  }

  /** Both maps, as request fields (absent when empty). */
  toParams(): { ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues?: Record<string, unknown> } {
    const out: { ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues?: Record<string, unknown> } = {};
    const names = this.names();
    const values = this.values();
    if (names) out.ExpressionAttributeNames = names;
    if (values) out.ExpressionAttributeValues = values;
    return out;
  }
}

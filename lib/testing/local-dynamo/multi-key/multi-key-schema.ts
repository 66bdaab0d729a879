import { validationError } from '../errors';
import { isRecord, type AttributeDefinition, type KeySchemaElement } from '../wire';

/** DynamoDB's limit on the attributes of one role (partition or sort) of a GSI key. */
const MAX_PER_ROLE = 4;

/**
 * Whether a GSI's KeySchema has multi-attribute keys (more than one HASH or more than one
 * RANGE element): such an index is served by the layer, as dynalite refuses key schemas of
 * more than two elements.
 *
 * @example
 * isMultiKeySchema([{ AttributeName: 'a', KeyType: 'HASH' }, { AttributeName: 'b', KeyType: 'HASH' }]); // true
 * isMultiKeySchema([{ AttributeName: 'a', KeyType: 'HASH' }, { AttributeName: 'b', KeyType: 'RANGE' }]); // false
 */
export function isMultiKeySchema(keySchema: unknown): boolean {
  if (!Array.isArray(keySchema)) return false;
  const roles = keySchema.map((element) => (isRecord(element) ? element.KeyType : undefined));
  return roles.filter((role) => role === 'HASH').length > 1 || roles.filter((role) => role === 'RANGE').length > 1;
}

/** Whether a CreateTable or UpdateTable request creates a GSI with multi-attribute keys. */
export function createsMultiKeyIndex(operation: string, body: Record<string, unknown>): boolean {
  if (operation === 'CreateTable')
    return Array.isArray(body.GlobalSecondaryIndexes) && body.GlobalSecondaryIndexes.some((gsi) => isRecord(gsi) && isMultiKeySchema(gsi.KeySchema));
  if (operation !== 'UpdateTable' || !Array.isArray(body.GlobalSecondaryIndexUpdates)) return false;
  return body.GlobalSecondaryIndexUpdates.some((update) => isRecord(update) && isRecord(update.Create) && isMultiKeySchema(update.Create.KeySchema));
}

/**
 * A key schema dynalite can validate in place of a multi-attribute one: its first element and,
 * when that is a HASH, the first RANGE. dynalite then checks everything else of the request
 * (names, projection, throughput, the first element's role and definition) with its own
 * wording; {@link checkMultiKeySchema} checks the rest of the elements.
 */
export function standInSchema(keySchema: KeySchemaElement[]): KeySchemaElement[] {
  const [first] = keySchema;
  const range = keySchema.find((element) => element.KeyType === 'RANGE');
  return first.KeyType === 'HASH' && range ? [first, range] : [first];
}

/**
 * Throws the constraint error DynamoDB gives a GSI KeySchema with an element whose KeyType is
 * neither HASH nor RANGE, or of more than 8 elements (4 partition-key and 4 sort-key attributes
 * at most). `path` names the schema as DynamoDB's
 * constraint messages do, e.g. `globalSecondaryIndexes.1.member.keySchema`.
 */
export function checkKeySchemaConstraints(keySchema: unknown, path: string): void {
  if (!Array.isArray(keySchema)) return;
  // dynalite sees only the stand-in's two elements: the role of every one is checked here.
  const badRole = keySchema.findIndex((element: unknown) => isRecord(element) && element.KeyType !== 'HASH' && element.KeyType !== 'RANGE');
  if (badRole >= 0 && isMultiKeySchema(keySchema)) {
    const role = (keySchema[badRole] as Record<string, unknown>).KeyType;
    throw validationError(
      `1 validation error detected: Value '${String(role)}' at '${path}.${badRole + 1}.member.keyType' failed to satisfy constraint: Member must satisfy enum value set: [HASH, RANGE]`,
    );
  }
  if (keySchema.length <= 2 * MAX_PER_ROLE) return;
  const elements = keySchema.map((element: { AttributeName?: unknown; KeyType?: unknown } | null) => {
    return `KeySchemaElement(attributeName=${String(element?.AttributeName)}, keyType=${String(element?.KeyType)})`;
  });
  throw validationError(
    `1 validation error detected: Value '[${elements.join(', ')}]' at '${path}' failed to satisfy constraint: Member must have length less than or equal to ${2 * MAX_PER_ROLE}`,
  );
}

/**
 * Throws the ValidationException DynamoDB gives a GSI with multi-attribute keys whose key
 * schema breaks its rules (wordings as DynamoDB answers them, probed against it by others), after the checks dynalite made on the stand-in schema:
 * every attribute defined, no attribute twice, HASH elements before RANGE ones, at most 4 of
 * each. `definitions` are the request's AttributeDefinitions (for UpdateTable, with the table's).
 */
export function checkMultiKeySchema(keySchema: KeySchemaElement[], definitions: readonly AttributeDefinition[]): void {
  const keys = keySchema.map((element) => element.AttributeName);
  const defined = definitions.map((definition) => definition.AttributeName);
  if (keys.some((key) => !defined.includes(key))) {
    throw validationError(
      `One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [${keys.join(', ')}], AttributeDefinitions: [${defined.join(', ')}]`,
    );
  }
  const duplicate = keys.find((key, i) => keys.indexOf(key) !== i);
  if (duplicate !== undefined) throw validationError('The KeySchema contains multiple key attributes with the same name');
  const firstRange = keySchema.findIndex((element) => element.KeyType === 'RANGE');
  if (firstRange >= 0 && keySchema.slice(firstRange).some((element) => element.KeyType === 'HASH')) {
    throw validationError('One or more parameter values were invalid: All HASH key attributes must precede RANGE key attributes in the KeySchema');
  }
  for (const role of ['HASH', 'RANGE'] as const) {
    if (keySchema.filter((element) => element.KeyType === role).length > MAX_PER_ROLE) {
      throw validationError(`One or more parameter values were invalid: The KeySchema exceeds the maximum allowed number of ${role} key attributes`);
    }
  }
}

/** The definitions of `keySchema`'s attributes, in key order. */
export function definitionsOf(keySchema: readonly KeySchemaElement[], definitions: readonly AttributeDefinition[]): AttributeDefinition[] {
  return keySchema.map((element) => definitions.find((definition) => definition.AttributeName === element.AttributeName)!);
}

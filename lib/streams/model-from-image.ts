import { ValidationError } from '../errors/validation-error';
import type { ModelSchema } from '../metadata/model-schema';
import type { StoredItem } from '../marshal/stored-item';
import { reportDecodeIssues } from '../record/decode-report';
import { buildModel, isGuardKey, missingKeyPart, runLoadHooksNow } from './build-model';
import { imageToItem, UnreadableImage } from './image-to-item';
import type { StreamImage } from './stream-types';

function notAnItem(action: string, what: string): ValidationError {
  return new ValidationError(`${action}: expected ${what}.`, [{ property: '', constraints: { item: `expected ${what}` } }]);
}

/**
 * `Model.fromItem(item)`: the model a plain (unmarshalled) item decodes to, built like a
 * read: persisted, @AfterLoad hooks run, undecodable values left undefined and listed by
 * `decodeErrors()` (a ValidationError with `strictReads`). An item without the table key, or a
 * unique guard's, is a ValidationError.
 */
export function modelFromItem<M>(schema: ModelSchema, item: StoredItem, action = `${schema.className}.fromItem`): M {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) throw notAnItem(action, 'an item object');
  // A copy: the instance compares against it later (dirty tracking), and the caller keeps theirs.
  const stored = { ...item };
  const missing = missingKeyPart(schema, stored);
  if (missing) {
    throw new ValidationError(`${action}: the item is not a ${schema.className}: ${missing}.`, [{ property: '', value: item, constraints: { key: missing } }]);
  }
  if (isGuardKey(schema, stored)) {
    throw new ValidationError(`${action}: the item is one of dynamorm's unique guards, not a ${schema.className}.`, [
      { property: '', value: item, constraints: { key: 'a unique guard' } },
    ]);
  }
  const { model, issues } = buildModel(schema, stored);
  if (issues) reportDecodeIssues(schema, stored, model, issues);
  runLoadHooksNow(schema, model, action);
  return model as M;
}

/**
 * `Model.fromImage(image)`: the model an AttributeValue map decodes to (a stream image, with
 * binary as base64 text, or client-dynamodb output, with binary as bytes); otherwise as
 * `fromItem`. A malformed image is a ValidationError naming the attribute.
 */
export function modelFromImage<M>(schema: ModelSchema, image: StreamImage): M {
  const action = `${schema.className}.fromImage`;
  if (typeof image !== 'object' || image === null || Array.isArray(image)) throw notAnItem(action, 'an AttributeValue map');
  let item: StoredItem;
  try {
    item = imageToItem(image);
  } catch (error) {
    if (!(error instanceof UnreadableImage)) throw error;
    throw new ValidationError(`${action}: the image cannot be read: ${error.message}.`, [{ property: '', constraints: { image: error.message } }]);
  }
  return modelFromItem<M>(schema, item, action);
}

// `import 'dynamorm/class-transformer'`: registers the application's class-transformer with
// dynamorm (for `@Type` nested classes, `fromPlain` and `toJSON` honouring `@Exclude`).
// Unbundled Node apps need not import it; a bundled app that uses it imports it once. It must
// be the app's own copy: class-transformer keeps its decorator metadata per copy.
import { instanceToPlain, plainToInstance } from 'class-transformer';
import { useClassTransformer } from '../internal';

useClassTransformer({ instanceToPlain, plainToInstance: plainToInstance });

// `import 'dynamorm/class-validator'`: registers the application's class-validator with
// dynamorm. Unbundled Node apps need not import it (dynamorm finds an installed copy); a
// bundled app whose models declare constraints imports it once, so the bundler includes
// class-validator, and never when no model uses it.
import { validate } from 'class-validator';
import { useClassValidator } from '../internal';

useClassValidator({ validate });

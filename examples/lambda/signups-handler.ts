// A Lambda handler whose model has class-validator constraints. In a bundle dynamorm cannot
// find class-validator by itself (there is no node_modules in a Lambda), so the app
// registers its copy once, with this import, before any write:
import 'dynamorm/class-validator';

export { handler } from './signups';

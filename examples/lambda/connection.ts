// One connection per Lambda container, made at init and reused by warm invocations.
// DYNAMODB_ENDPOINT points it at a local server (the examples' spec sets it).
import { connect } from 'dynamorm';

export const connection = connect({
  region: process.env.AWS_REGION ?? 'us-east-1',
  endpoint: process.env.DYNAMODB_ENDPOINT,
  tablePrefix: process.env.DYNAMORM_TABLE_PREFIX,
});

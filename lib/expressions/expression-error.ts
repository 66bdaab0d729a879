import { QueryError } from '../errors/dynamorm-error';

/**
 * A QueryError about an expression string that says where: the position (0-based, as
 * `JSON.parse` counts) and the expression again with a caret under that place. A syntax
 * error leads with the position; any other problem (an unknown name, a missing param) leads
 * with the problem.
 *
 * @example
 * expressionError('a = :v AND', 10, 'expected a condition after AND', 'syntax').message;
 * // Syntax error at position 10 in 'a = :v AND': expected a condition after AND
 * //   a = :v AND
 * //             ^
 * expressionError('nmae = :n', 0, "'nmae' is not a property of User").message;
 * // 'nmae' is not a property of User, at position 0 in 'nmae = :n'
 * //   nmae = :n
 * //   ^
 */
export function expressionError(text: string, position: number, problem: string, kind?: 'syntax'): QueryError {
  // Tabs and line breaks would move the caret off its column.
  const line = text.replace(/[\t\r\n]/g, ' ');
  const headline = kind === 'syntax' ? `Syntax error at position ${position} in '${line}': ${problem}` : `${problem}, at position ${position} in '${line}'`;
  return new QueryError(`${headline}\n  ${line}\n  ${' '.repeat(position)}^`);
}

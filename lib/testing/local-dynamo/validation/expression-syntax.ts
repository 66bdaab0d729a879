/**
 * DynamoDB's wording of an expression that does not parse: the token where parsing
 * stopped and the text around it, from the token before it to the token after it, e.g.
 *
 * @example
 * syntaxErrorDetail('INVALID SYNTAX HERE', 0); // 'token: "INVALID", near: "INVALID SYNTAX"'
 * syntaxErrorDetail('SET a = ', 8); // 'token: "<EOF>", near: "= "'
 *
 * dynalite's parser says what it expected instead (`Expected "#" ... but "!" found.`);
 * only the position where it stopped is taken from it.
 */
export function syntaxErrorDetail(expression: string, offset: number): string {
  const tokens = [...expression.matchAll(TOKEN)].map((match) => ({ start: match.index, end: match.index + match[0].length }));
  const at = tokens.findIndex((token) => token.end > offset);
  if (at < 0) {
    const last = tokens.at(-1);
    return `token: "<EOF>", near: "${last ? expression.slice(last.start) : ''}"`;
  }
  const token = tokens[at];
  const near = expression.slice((tokens[at - 1] ?? token).start, (tokens[at + 1] ?? token).end);
  return `token: "${expression.slice(token.start, token.end)}", near: "${near}"`;
}

// Names, placeholders, numbers and DynamoDB's two-character comparators are one token; any other character is one.
const TOKEN = /[#:]?[A-Za-z0-9_]+|<=|>=|<>|\S/g;

/**
 * Is a document an IAM policy at all? Each element has one shape in the grammar, and anything else (a
 * Resource of nested lists, a Condition value that is an object, thousands of levels deep) is refused with
 * the element named, before evaluation could misread it or recurse into it. Every check looks one level
 * down, so an absurdly nested document costs no more than its size.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
 */

/** Names from the document go into the reason; a megabyte-long key must not. */
const shown = (name: string) => JSON.stringify(name.length > 64 ? `${name.slice(0, 64)}…` : name);
const isText = (value: unknown): value is string => typeof value === 'string';
const isScalar = (value: unknown) => typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isTextOrTexts = (value: unknown) => isText(value) || (Array.isArray(value) && value.every(isText));

function principalProblem(value: unknown): string | null {
  if (value === '*') return null;
  if (!isObject(value)) return 'must be "*" or an object of principal types';
  for (const [type, names] of Object.entries(value)) {
    if (!isTextOrTexts(names)) return `.${shown(type)} must be a string or a list of strings`;
  }
  return null;
}

function conditionProblem(value: unknown): string | null {
  if (!isObject(value)) return 'must be an object of operators';
  for (const [operator, keys] of Object.entries(value)) {
    if (!isObject(keys)) return `.${shown(operator)} must be an object of condition keys`;
    for (const [key, values] of Object.entries(keys)) {
      if (!isScalar(values) && !(Array.isArray(values) && values.every(isScalar))) {
        return `.${shown(operator)}.${shown(key)} must be a value or a list of values`;
      }
    }
  }
  return null;
}

function statementProblem(statement: unknown): string | null {
  if (!isObject(statement)) return ' must be an object';
  if (statement.Effect !== 'Allow' && statement.Effect !== 'Deny') return '.Effect must be "Allow" or "Deny"';
  // IAM's grammar: a Sid is a string. Anything else would be carried into the diagnosis as it is.
  if (statement.Sid !== undefined && typeof statement.Sid !== 'string') return '.Sid must be a string';
  for (const element of ['Action', 'NotAction', 'Resource', 'NotResource']) {
    if (statement[element] !== undefined && !isTextOrTexts(statement[element])) return `.${element} must be a string or a list of strings`;
  }
  for (const element of ['Principal', 'NotPrincipal']) {
    const problem = statement[element] === undefined ? null : principalProblem(statement[element]);
    if (problem) return `.${element}${problem.startsWith('.') ? problem : ` ${problem}`}`;
  }
  const condition = statement.Condition === undefined ? null : conditionProblem(statement.Condition);
  if (condition) return `.Condition${condition.startsWith('.') ? condition : ` ${condition}`}`;
  return null;
}

/** @example policyShapeProblem({ Statement: [{ Effect: 'Allow', Resource: [['x']] }] }) // 'Statement[0].Resource must be …' */
export function policyShapeProblem(document: unknown): string | null {
  const statements = isObject(document) ? document.Statement : undefined;
  if (statements === undefined || statements === null) return 'has no Statement';
  const list = Array.isArray(statements) ? statements : [statements];
  for (const [index, statement] of list.entries()) {
    const problem = statementProblem(statement);
    if (problem) return `Statement[${index}]${problem}`;
  }
  return null;
}

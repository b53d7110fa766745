/**
 * Scopes and small syntax helpers of the name analysis (`name_analysis.ts`): which names a
 * binding, an import or a nested `var` declares, and how to read an assignment target.
 *
 * @module
 */
import ts from "typescript";

/** A lexical scope: the names it binds, and the scope around it. */
export interface Scope {
  names: Set<string>;
  parent: Scope | null;
}

export function resolve(name: string, scope: Scope | null): boolean {
  for (let s = scope; s !== null; s = s.parent) if (s.names.has(name)) return true;
  return false;
}

export function declareList(list: ts.VariableDeclarationList, scope: Scope): void {
  for (const declaration of list.declarations) declareBinding(declaration.name, scope);
}

export function declareBinding(name: ts.BindingName, scope: Scope): void {
  if (ts.isIdentifier(name)) {
    scope.names.add(name.text);
    return;
  }
  for (const element of name.elements) {
    if (!ts.isOmittedExpression(element)) declareBinding(element.name, scope);
  }
}

/** Declares an import's value bindings in `scope`, its type-only bindings in `types`. */
export function declareImport(node: ts.ImportDeclaration, scope: Scope, types: Set<string>): void {
  const clause = node.importClause;
  if (clause === undefined) return;
  const add = (name: string, isTypeOnly: boolean) =>
    isTypeOnly || clause.isTypeOnly ? types.add(name) : scope.names.add(name);
  if (clause.name) add(clause.name.text, false);
  const bindings = clause.namedBindings;
  if (bindings === undefined) return;
  if (ts.isNamespaceImport(bindings)) return void add(bindings.name.text, false);
  for (const element of bindings.elements) add(element.name.text, element.isTypeOnly);
}

/** Declares `var`s found inside nested blocks and loops (not inside nested functions). */
export function collectNestedVars(node: ts.Node, scope: Scope, isTop: boolean): void {
  if (ts.isFunctionLike(node) || ts.isClassLike(node)) return;
  if (!isTop && ts.isVariableDeclarationList(node)) {
    if ((node.flags & ts.NodeFlags.BlockScoped) === 0) declareList(node, scope);
  }
  ts.forEachChild(node, (child) => collectNestedVars(child, scope, false));
}

export function isDeclare(node: ts.Node): boolean {
  return ts.canHaveModifiers(node) &&
    (ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword) ?? false);
}

export function isAssignmentOperator(kind: ts.SyntaxKind): boolean {
  return kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
}

export function isPlainAssign(node: ts.BinaryExpression): boolean {
  return node.operatorToken.kind === ts.SyntaxKind.EqualsToken;
}

export function skipParens(node: ts.Expression): ts.Expression {
  let current = node;
  while (
    ts.isParenthesizedExpression(current) || ts.isNonNullExpression(current) ||
    ts.isAsExpression(current) || ts.isSatisfiesExpression(current)
  ) current = current.expression;
  return current;
}

export function leftmost(name: ts.Node): string | null {
  let current = name;
  while (ts.isQualifiedName(current) || ts.isPropertyAccessExpression(current)) {
    current = ts.isQualifiedName(current) ? current.left : current.expression;
  }
  return ts.isIdentifier(current) ? current.text : null;
}

/**
 * What a notebook cell declares and what it reads, from its TypeScript syntax tree (the one
 * parse of `cell_model.ts`), for dependency-aware cells (stale marking, widget reruns).
 *
 * - `declares`: the top-level runtime names the cell defines for the cells after it: `const`,
 *   `let`, `var` (destructuring included), `function`, `class`, value imports, and names the
 *   cell assigns at top level without declaring them (`x = 5`, `total += 1`: they change what a
 *   later reader sees).
 * - `reads`: the free runtime names the cell uses, anywhere (inside its functions too, since a
 *   closure reads them when called), minus its own top-level declarations, inner-scope
 *   bindings (parameters, block `let`s, catch variables shadow outer names) and well-known
 *   globals (`Math`, `console`, `Deno`, typed arrays, ...).
 * - `typeReads`: free names used only in type positions (`x: Tensor`, `as Foo`, `typeof y` in
 *   a type). A type is erased before the cell runs, and each cell is compiled on its own, so a
 *   type-only use is NOT a runtime dependency: it never makes a cell stale.
 *
 * Not tracked (hidden state the analysis cannot see): mutation through a reference
 * (`xs.push(1)`, `model.train()`), and names reached through `globalThis[...]`.
 *
 * @module
 */
import ts from "typescript";
import { KNOWN_GLOBALS } from "./known_globals.ts";
import {
  collectNestedVars,
  declareBinding,
  declareImport,
  declareList,
  isAssignmentOperator,
  isDeclare,
  isPlainAssign,
  leftmost,
  resolve,
  type Scope,
  skipParens,
} from "./scopes.ts";

/** The names a cell declares and reads (each list sorted). */
export interface CellAnalysis {
  declares: string[];
  reads: string[];
  typeReads: string[];
}

/**
 * Analyses the runtime names of one parsed cell. Syntax errors do not throw: TypeScript's parser
 * recovers, and the analysis covers what it could read. Cells reach it through `parseCell()`.
 */
export function analyzeNames(file: ts.SourceFile): CellAnalysis {
  return new Analyzer().run(file);
}

class Analyzer {
  readonly #module: Scope = { names: new Set(), parent: null };
  readonly #types = new Set<string>();
  readonly #reads = new Set<string>();
  readonly #assigned = new Set<string>();
  readonly #typeReads = new Set<string>();
  /** Depth of function bodies we are in: top-level code runs when the cell runs. */
  #functionDepth = 0;

  run(file: ts.SourceFile): CellAnalysis {
    this.#hoist(file.statements, this.#module, true);
    for (const statement of file.statements) this.#visit(statement, this.#module);
    const declares = new Set([...this.#module.names, ...this.#assigned]);
    for (const name of this.#reads) if (this.#module.names.has(name)) this.#reads.delete(name);
    const typeReads = [...this.#typeReads].filter((n) =>
      !this.#types.has(n) && !this.#module.names.has(n) && !this.#reads.has(n) &&
      !KNOWN_GLOBALS.has(n)
    );
    return {
      declares: [...declares].filter((n) => !this.#localOnly.has(n)).sort(),
      reads: [...this.#reads].filter((n) => !KNOWN_GLOBALS.has(n)).sort(),
      typeReads: typeReads.sort(),
    };
  }

  /** Top-level names that stay inside the cell (enums are not shared by the compiler). */
  readonly #localOnly = new Set<string>();

  /** Declares the names a block binds before walking it (hoisting, and use before `let`). */
  #hoist(statements: readonly ts.Statement[], scope: Scope, isFunctionScope: boolean): void {
    for (const statement of statements) {
      if (ts.isVariableStatement(statement)) {
        const isVar = (statement.declarationList.flags & ts.NodeFlags.BlockScoped) === 0;
        if (!isVar || isFunctionScope) declareList(statement.declarationList, scope);
      } else if (
        (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) &&
        statement.name
      ) {
        if (!isDeclare(statement)) scope.names.add(statement.name.text);
      } else if (ts.isEnumDeclaration(statement)) {
        scope.names.add(statement.name.text);
        if (scope === this.#module) this.#localOnly.add(statement.name.text);
      } else if (ts.isImportDeclaration(statement)) {
        declareImport(statement, scope, this.#types);
      } else if (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) {
        this.#types.add(statement.name.text);
      }
    }
    if (isFunctionScope) {
      // `var` inside nested blocks belongs to the function (or the cell).
      for (const statement of statements) collectNestedVars(statement, scope, true);
    }
  }

  #reference(name: string, scope: Scope): void {
    if (resolve(name, scope)) return;
    this.#reads.add(name);
  }

  #assign(target: ts.Expression, scope: Scope, alsoReads: boolean): void {
    const stripped = skipParens(target);
    if (ts.isIdentifier(stripped)) {
      if (resolve(stripped.text, scope)) return;
      if (this.#functionDepth === 0) this.#assigned.add(stripped.text);
      if (alsoReads || this.#functionDepth > 0) this.#reads.add(stripped.text);
      return;
    }
    if (ts.isArrayLiteralExpression(stripped)) {
      for (const element of stripped.elements) {
        if (ts.isSpreadElement(element)) this.#assign(element.expression, scope, alsoReads);
        else if (ts.isBinaryExpression(element) && isPlainAssign(element)) {
          this.#assign(element.left, scope, alsoReads);
          this.#visit(element.right, scope);
        } else if (!ts.isOmittedExpression(element)) this.#assign(element, scope, alsoReads);
      }
      return;
    }
    if (ts.isObjectLiteralExpression(stripped)) {
      for (const property of stripped.properties) {
        if (ts.isShorthandPropertyAssignment(property)) {
          this.#assign(property.name, scope, alsoReads);
          if (property.objectAssignmentInitializer) {
            this.#visit(property.objectAssignmentInitializer, scope);
          }
        } else if (ts.isPropertyAssignment(property)) {
          if (ts.isComputedPropertyName(property.name)) this.#visit(property.name, scope);
          const value = property.initializer;
          if (ts.isBinaryExpression(value) && isPlainAssign(value)) {
            this.#assign(value.left, scope, alsoReads);
            this.#visit(value.right, scope);
          } else this.#assign(value, scope, alsoReads);
        } else if (ts.isSpreadAssignment(property)) {
          this.#assign(property.expression, scope, alsoReads);
        }
      }
      return;
    }
    // `a.b = 1`, `xs[i] = 2`: reads the object, declares nothing.
    this.#visit(stripped, scope);
  }

  #visitType(node: ts.Node): void {
    if (ts.isTypeReferenceNode(node) || ts.isExpressionWithTypeArguments(node)) {
      const name = ts.isTypeReferenceNode(node) ? node.typeName : node.expression;
      const left = leftmost(name);
      if (left !== null) this.#typeReads.add(left);
      const args = node.typeArguments ?? [];
      for (const arg of args) this.#visitType(arg);
      return;
    }
    if (ts.isTypeQueryNode(node)) {
      const left = leftmost(node.exprName);
      if (left !== null) this.#typeReads.add(left);
      return;
    }
    if (ts.isTypeParameterDeclaration(node)) {
      // Type parameters are local; their constraints may name outer types.
      if (node.constraint) this.#visitType(node.constraint);
      if (node.default) this.#visitType(node.default);
      return;
    }
    if (ts.isIdentifier(node)) return; // a property or parameter name inside a type
    ts.forEachChild(node, (child) => this.#visitType(child));
  }

  #visitFunction(node: ts.SignatureDeclaration, scope: Scope): void {
    const inner: Scope = { names: new Set(["arguments"]), parent: scope };
    if ((ts.isFunctionExpression(node) || ts.isClassExpression(node)) && node.name) {
      inner.names.add(node.name.text);
    }
    for (const parameter of node.parameters) declareBinding(parameter.name, inner);
    for (const typeParameter of node.typeParameters ?? []) this.#visitType(typeParameter);
    for (const parameter of node.parameters) {
      this.#visitBinding(parameter.name, inner);
      if (parameter.type) this.#visitType(parameter.type);
      if (parameter.initializer) this.#visit(parameter.initializer, inner);
      for (const decorator of ts.getDecorators(parameter) ?? []) this.#visit(decorator, scope);
    }
    if (node.type) this.#visitType(node.type);
    const body = (node as ts.FunctionLikeDeclaration).body;
    if (body === undefined) return;
    this.#functionDepth++;
    if (ts.isBlock(body)) {
      this.#hoist(body.statements, inner, true);
      for (const statement of body.statements) this.#visit(statement, inner);
    } else {
      this.#visit(body, inner);
    }
    this.#functionDepth--;
  }

  /** Visits default values and computed keys of a binding pattern (its names are declared). */
  #visitBinding(name: ts.BindingName, scope: Scope): void {
    if (ts.isIdentifier(name)) return;
    for (const element of name.elements) {
      if (ts.isOmittedExpression(element)) continue;
      if (element.propertyName && ts.isComputedPropertyName(element.propertyName)) {
        this.#visit(element.propertyName.expression, scope);
      }
      if (element.initializer) this.#visit(element.initializer, scope);
      this.#visitBinding(element.name, scope);
    }
  }

  #visitClass(node: ts.ClassLikeDeclaration, scope: Scope): void {
    const inner: Scope = { names: new Set(), parent: scope };
    if (node.name) inner.names.add(node.name.text);
    for (const decorator of ts.getDecorators(node) ?? []) this.#visit(decorator, scope);
    for (const typeParameter of node.typeParameters ?? []) this.#visitType(typeParameter);
    for (const clause of node.heritageClauses ?? []) {
      for (const type of clause.types) {
        if (clause.token === ts.SyntaxKind.ExtendsKeyword) {
          this.#visit(type.expression, scope);
          for (const arg of type.typeArguments ?? []) this.#visitType(arg);
        } else {
          this.#visitType(type);
        }
      }
    }
    this.#functionDepth++; // class bodies run when the class is used, like functions
    for (const member of node.members) {
      const decorators = ts.canHaveDecorators(member) ? ts.getDecorators(member) : undefined;
      for (const decorator of decorators ?? []) this.#visit(decorator, inner);
      if (member.name && ts.isComputedPropertyName(member.name)) {
        this.#visit(member.name.expression, inner);
      }
      if (ts.isPropertyDeclaration(member)) {
        if (member.type) this.#visitType(member.type);
        if (member.initializer) this.#visit(member.initializer, inner);
      } else if (ts.isClassStaticBlockDeclaration(member)) {
        this.#visit(member.body, inner);
      } else if (ts.isIndexSignatureDeclaration(member)) {
        this.#visitType(member);
      } else if (ts.isFunctionLike(member)) {
        this.#visitFunction(member, inner);
      }
    }
    this.#functionDepth--;
  }

  #visitBlock(statements: readonly ts.Statement[], scope: Scope): void {
    const inner: Scope = { names: new Set(), parent: scope };
    this.#hoist(statements, inner, false);
    for (const statement of statements) this.#visit(statement, inner);
  }

  #visit(node: ts.Node, scope: Scope): void {
    if (ts.isIdentifier(node)) return this.#reference(node.text, scope);
    if (ts.isTypeNode(node) && !ts.isExpressionWithTypeArguments(node)) {
      return this.#visitType(node);
    }
    switch (node.kind) {
      case ts.SyntaxKind.InterfaceDeclaration:
      case ts.SyntaxKind.TypeAliasDeclaration:
        return ts.forEachChild(node, (child) => this.#visitType(child));
      case ts.SyntaxKind.ImportDeclaration:
      case ts.SyntaxKind.ExportDeclaration:
      case ts.SyntaxKind.ModuleDeclaration:
      case ts.SyntaxKind.ImportEqualsDeclaration:
        return;
      case ts.SyntaxKind.EnumDeclaration:
        for (const member of (node as ts.EnumDeclaration).members) {
          if (member.initializer) this.#visit(member.initializer, scope);
        }
        return;
    }
    if (ts.isVariableDeclaration(node)) {
      this.#visitBinding(node.name, scope);
      if (node.type) this.#visitType(node.type);
      if (node.initializer) this.#visit(node.initializer, scope);
      return;
    }
    if (ts.isVariableStatement(node)) {
      if (isDeclare(node)) return;
      for (const declaration of node.declarationList.declarations) this.#visit(declaration, scope);
      return;
    }
    if (
      ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node)
    ) {
      return this.#visitFunction(node, scope);
    }
    if (ts.isClassDeclaration(node) || ts.isClassExpression(node)) {
      return this.#visitClass(node, scope);
    }
    if (ts.isBlock(node)) return this.#visitBlock(node.statements, scope);
    if (ts.isCaseBlock(node)) {
      const statements = node.clauses.flatMap((clause) => [...clause.statements]);
      const inner: Scope = { names: new Set(), parent: scope };
      this.#hoist(statements, inner, false);
      for (const clause of node.clauses) ts.forEachChild(clause, (c) => this.#visit(c, inner));
      return;
    }
    if (ts.isCatchClause(node)) {
      const inner: Scope = { names: new Set(), parent: scope };
      if (node.variableDeclaration) {
        declareBinding(node.variableDeclaration.name, inner);
        this.#visit(node.variableDeclaration, inner);
      }
      return this.#visitBlock(node.block.statements, inner);
    }
    if (ts.isForStatement(node) || ts.isForInStatement(node) || ts.isForOfStatement(node)) {
      const inner: Scope = { names: new Set(), parent: scope };
      const init = node.initializer;
      if (init !== undefined && ts.isVariableDeclarationList(init)) {
        if (init.flags & ts.NodeFlags.BlockScoped) declareList(init, inner);
        for (const declaration of init.declarations) this.#visit(declaration, inner);
      } else if (init !== undefined && !ts.isForStatement(node)) {
        this.#assign(init, inner, false);
      } else if (init !== undefined) {
        this.#visit(init, inner);
      }
      if (ts.isForStatement(node)) {
        if (node.condition) this.#visit(node.condition, inner);
        if (node.incrementor) this.#visit(node.incrementor, inner);
      } else {
        this.#visit(node.expression, inner);
      }
      return this.#visit(node.statement, inner);
    }
    if (ts.isBinaryExpression(node) && isAssignmentOperator(node.operatorToken.kind)) {
      this.#assign(node.left, scope, !isPlainAssign(node));
      return this.#visit(node.right, scope);
    }
    if (
      (ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) &&
      (node.operator === ts.SyntaxKind.PlusPlusToken ||
        node.operator === ts.SyntaxKind.MinusMinusToken)
    ) {
      return this.#assign(node.operand, scope, true);
    }
    if (ts.isPropertyAccessExpression(node)) return this.#visit(node.expression, scope);
    if (ts.isQualifiedName(node)) return this.#visit(node.left, scope);
    if (ts.isPropertyAssignment(node)) {
      if (ts.isComputedPropertyName(node.name)) this.#visit(node.name.expression, scope);
      return this.#visit(node.initializer, scope);
    }
    if (ts.isShorthandPropertyAssignment(node)) {
      this.#reference(node.name.text, scope);
      if (node.objectAssignmentInitializer) this.#visit(node.objectAssignmentInitializer, scope);
      return;
    }
    if (ts.isMethodDeclaration(node) || ts.isGetAccessor(node) || ts.isSetAccessor(node)) {
      if (ts.isComputedPropertyName(node.name)) this.#visit(node.name.expression, scope);
      return this.#visitFunction(node, scope);
    }
    if (ts.isLabeledStatement(node)) return this.#visit(node.statement, scope);
    if (ts.isBreakOrContinueStatement(node) || ts.isMetaProperty(node)) return;
    if (
      ts.isAsExpression(node) || ts.isSatisfiesExpression(node) ||
      ts.isTypeAssertionExpression(node)
    ) {
      this.#visit(node.expression, scope);
      return this.#visitType(node.type);
    }
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      this.#visit(node.expression, scope);
      for (const arg of node.typeArguments ?? []) this.#visitType(arg);
      for (const arg of node.arguments ?? []) this.#visit(arg, scope);
      return;
    }
    ts.forEachChild(node, (child) => this.#visit(child, scope));
  }
}

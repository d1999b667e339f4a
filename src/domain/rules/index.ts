/** The rule language (issue #5): contract types, facts catalogue, validation, evaluators, SQL compiler, formulas. */
export * from './catalogue.ts';
export * from './compile-sql.ts';
export * from './describe.ts';
export * from './evaluate.ts';
export * from './formula.ts';
export * from './kernel.ts';
export * from './schema.ts';
export type * from './types.ts';

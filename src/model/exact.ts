/**
 * `Exact<T, Shape>`: `T` with every key `Shape` does not declare turned into an impossible type, at any
 * depth, so that `T & Exact<T, Shape>` rejects a misspelt key where TypeScript's own
 * excess-property check does not look: an object returned from a callback, or built with spreads.
 *
 * Unions in `Shape` (job kinds, check types, drivers) are narrowed to the members `T` fits, so
 * `periodic` is allowed on a batch job and `path` on an http check only. Maps with string keys
 * (`ports`, `meta`) allow any key and check their values. Values `Shape` leaves open (`unknown`)
 * are not checked.
 */
export type Exact<T, Shape> = T extends readonly unknown[]
  ? ExactArray<T, Element<NonNullable<Shape>>>
  : T extends (...args: never[]) => unknown
    ? T
    : T extends object
      ? ExactObject<T, Members<T, Objects<Shape>>>
      : T;

type ExactArray<T extends readonly unknown[], E> = [E] extends [never] ? T : { readonly [I in keyof T]: Exact<T[I], E> };

type ExactObject<T, S> = [S] extends [never]
  ? T
  : { readonly [K in keyof T]: K extends KeysOf<S> ? Exact<T[K], ValueOf<S, K>> : UnknownKey<K> };

/**
 * What an unknown key's value would have to be: a sentence no real value equals, so the editor
 * shows the reason: `Type 'string' is not assignable to type 'minHealthyTim is not a key drover knows here'`.
 */
type UnknownKey<K> = `${K & string} is not a key drover knows here`;

/** The object members of a shape (drops `undefined` and scalars). */
type Objects<S> = S extends object ? (S extends readonly unknown[] ? never : S) : never;
/** The members of union `S` that `T` is assignable to, or all of them when it fits none. */
type Members<T, S> = [Fitting<T, S>] extends [never] ? S : Fitting<T, S>;
type Fitting<T, S> = S extends unknown ? (T extends S ? S : never) : never;
type KeysOf<S> = S extends unknown ? keyof S : never;
type ValueOf<S, K> = S extends unknown ? (K extends keyof S ? S[K] : never) : never;
type Element<S> = S extends readonly (infer E)[] ? E : never;

/** Growing the typed-array columns the models keep per entity or per sample. */
type Column = Uint8Array | Int32Array | Float64Array;

/** A copy of `column` with twice the room, its values first: what a full column becomes. */
export function doubled<C extends Column>(column: C): C {
  const next = new (column.constructor as new (length: number) => C)(column.length * 2);
  next.set(column);
  return next;
}

import { PinpipeError } from '../core/errors.js';

/**
 * Delta (Spark SQL) schema types, as serialised in `metaData.schemaString`.
 * Primitive types are strings: `long`, `integer`, `short`, `byte`, `float`, `double`, `boolean`,
 * `string`, `binary`, `date`, `timestamp`, `timestamp_ntz`, `decimal(p,s)`.
 */
export type DeltaType = string | DeltaArrayType | DeltaMapType | DeltaStructType;

export interface DeltaArrayType {
  type: 'array';
  elementType: DeltaType;
  containsNull: boolean;
}

export interface DeltaMapType {
  type: 'map';
  keyType: DeltaType;
  valueType: DeltaType;
  valueContainsNull: boolean;
}

export interface DeltaStructField {
  name: string;
  type: DeltaType;
  nullable: boolean;
  metadata: Record<string, unknown>;
}

export interface DeltaStructType {
  type: 'struct';
  fields: DeltaStructField[];
}

/** A column declaration for `DeltaTable.create`: `{ name: 'ind', type: 'long' }`. */
export interface ColumnSpec {
  name: string;
  type: DeltaType;
  nullable?: boolean;
}

const PRIMITIVES = new Set(['long', 'integer', 'short', 'byte', 'float', 'double', 'boolean', 'string', 'binary', 'date', 'timestamp', 'timestamp_ntz']);
const DECIMAL = /^decimal\(\s*(\d+)\s*,\s*(\d+)\s*\)$/;

/** Precision and scale of a `decimal(p,s)` type name, or undefined. */
export function decimalParts(type: DeltaType): { precision: number; scale: number } | undefined {
  if (typeof type !== 'string') return undefined;
  if (type === 'decimal') return { precision: 10, scale: 0 };
  const m = DECIMAL.exec(type);
  return m ? { precision: Number(m[1]), scale: Number(m[2]) } : undefined;
}

/** True for a primitive (non-nested) Delta type. */
export function isPrimitive(type: DeltaType): type is string {
  return typeof type === 'string';
}

/** Throw unless `type` is a Delta type this implementation can read and write. */
export function validateType(type: DeltaType, where: string): void {
  if (typeof type === 'string') {
    if (!PRIMITIVES.has(type) && !decimalParts(type))
      throw new PinpipeError('DELTA_SCHEMA_MISMATCH', `Unsupported Delta type ${JSON.stringify(type)} for ${where}`);
    return;
  }
  if (type.type === 'array') return validateType(type.elementType, `${where}.element`);
  if (type.type === 'map') {
    validateType(type.keyType, `${where}.key`);
    return validateType(type.valueType, `${where}.value`);
  }
  if (type.type === 'struct') {
    for (const f of type.fields) validateType(f.type, `${where}.${f.name}`);
    return;
  }
  throw new PinpipeError('DELTA_SCHEMA_MISMATCH', `Unsupported Delta type for ${where}: ${JSON.stringify(type)}`);
}

/** Build a table schema from column declarations. */
export function schemaFromColumns(columns: readonly ColumnSpec[]): DeltaStructType {
  const seen = new Set<string>();
  const fields = columns.map((c) => {
    const lower = c.name.toLowerCase();
    if (!c.name || seen.has(lower))
      throw new PinpipeError('DELTA_SCHEMA_MISMATCH', `Column names must be non-empty and unique ignoring case: ${JSON.stringify(c.name)}`);
    seen.add(lower);
    validateType(c.type, c.name);
    return { name: c.name, type: c.type, nullable: c.nullable ?? true, metadata: {} };
  });
  return { type: 'struct', fields };
}

/** Parse `metaData.schemaString`; undefined when the metaData carries no schema. */
export function parseSchemaString(schemaString: string | undefined | null): DeltaStructType | undefined {
  if (schemaString === undefined || schemaString === null) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(schemaString);
  } catch (err) {
    throw new PinpipeError('DELTA_LOG_INVALID', `metaData.schemaString is not JSON: ${(err as Error).message}`);
  }
  const s = parsed as DeltaStructType;
  if (!s || s.type !== 'struct' || !Array.isArray(s.fields)) throw new PinpipeError('DELTA_LOG_INVALID', 'metaData.schemaString is not a struct type');
  return s;
}

/** Equality of two Delta types, ignoring field metadata. */
export function sameType(a: DeltaType, b: DeltaType): boolean {
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  if (a.type === 'array' && b.type === 'array') return sameType(a.elementType, b.elementType);
  if (a.type === 'map' && b.type === 'map') return sameType(a.keyType, b.keyType) && sameType(a.valueType, b.valueType);
  if (a.type === 'struct' && b.type === 'struct') {
    return a.fields.length === b.fields.length && a.fields.every((f, i) => f.name === b.fields[i].name && sameType(f.type, b.fields[i].type));
  }
  return false;
}

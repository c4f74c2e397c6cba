import type { FieldIssue, JSONSchema } from '@agent-tool-protocol/protocol';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describeErrors } from './describe-errors.js';
import { normalizeDefinitions, normalizeFunctionSchema, type SchemaSide } from './normalize-schema.js';

/** Checks one value; undefined when it is valid, else every problem found (capped). */
export type SchemaCheck = (value: unknown) => FieldIssue[] | undefined;

const DEFINITIONS_ID: Record<SchemaSide, string> = {
  input: 'atp://definitions/input',
  output: 'atp://definitions/output',
};

function createValidator(): Ajv2020 {
  const ajv = new Ajv2020({
    allErrors: true, // every problem at once, so an agent fixes its call in one try
    verbose: true, // errors carry the offending value and schema, for the messages
    messages: false, // the messages are ours (describe-errors.ts)
    strict: false, // real schemas carry unknown keywords and formats: ignore them
    validateSchema: false, // the catalog checked the schemas' structure when the group was added
    unicodeRegExp: false, // spec patterns are often written for non-unicode regular expressions
    inlineRefs: false, // shared definitions compile once, not into every function that uses them
    addUsedSchema: false,
    logger: false,
  });
  addFormats(ajv);
  return ajv;
}

/** True when an absent input (`undefined`, `null`) stands for an empty object under `schema`. */
function acceptsObject(schema: Record<string, unknown>): boolean {
  const type = schema.type;
  if (type === undefined) return true;
  return type === 'object' || (Array.isArray(type) && type.includes('object'));
}

/**
 * Compiles the JSON Schemas of one API group's functions into checks. The group's shared
 * definitions are normalized and registered once per side, on the first schema of that side.
 * A schema that does not compile throws; the caller decides what to fall back to.
 */
export class GroupSchemaCompiler {
  private validator: Ajv2020 | undefined;
  private readonly registered = new Set<SchemaSide>();
  private compiled = 0;
  private readonly definitionNames: ReadonlySet<string>;

  constructor(private readonly definitions: Record<string, JSONSchema> | undefined) {
    this.definitionNames = new Set(Object.keys(definitions ?? {}));
  }

  compile(schema: JSONSchema, side: SchemaSide): SchemaCheck {
    const ajv = this.prepare(side);
    const normalized = normalizeFunctionSchema(schema, {
      side,
      groupDefinitions: this.definitionNames,
      definitionsId: DEFINITIONS_ID[side],
    });
    // An id of its own, so references to the root (`#`, `#/$defs/…`) resolve.
    const validate = ajv.compile({ ...normalized, $id: `atp://schema/${++this.compiled}` });
    const absentIsEmpty = side === 'input' && acceptsObject(normalized);
    return (value) => {
      const subject = absentIsEmpty && (value === undefined || value === null) ? {} : (value ?? null);
      return validate(subject) ? undefined : describeErrors(side, validate.errors ?? []);
    };
  }

  private prepare(side: SchemaSide): Ajv2020 {
    this.validator ??= createValidator();
    if (!this.registered.has(side) && this.definitionNames.size > 0) {
      this.validator.addSchema(
        normalizeDefinitions(this.definitions!, {
          side,
          groupDefinitions: this.definitionNames,
          definitionsId: DEFINITIONS_ID[side],
        }),
      );
    }
    this.registered.add(side);
    return this.validator;
  }
}

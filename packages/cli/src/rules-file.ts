import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { configError, errorMessage } from './errors.js';

/**
 * Reads and parses the rules file so a bad path or bad YAML stops startup with a message naming the
 * `rules` field; the server's security layer then validates the rules themselves and watches the file.
 */
export async function readRulesFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw configError(`rules: cannot read the rules file ${path}: ${errorMessage(error)}`, [
      { path: 'rules', message: 'cannot read the file' },
    ]);
  }
  try {
    const rules = parseYaml(text) as unknown;
    if (typeof rules !== 'object' || rules === null) throw new Error('expected a YAML mapping or list');
    return rules;
  } catch (error) {
    throw configError(`rules: ${path} is not valid YAML: ${errorMessage(error)}`, [
      { path: 'rules', message: 'not valid YAML' },
    ]);
  }
}

import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { configError, errorMessage } from './errors.js';

/**
 * Reads and parses the rules file so a bad path or bad YAML stops startup with a clear message.
 * The server has no `execution.rules` field yet, so the parsed rules are returned for the caller to report.
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

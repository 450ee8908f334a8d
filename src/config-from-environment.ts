import { existsSync } from 'node:fs';
import { ConfigError, loadConfig, type Config } from './config.js';

/**
 * The configuration of a program started from the command line: the environment, and `.env` where there is
 * one. A configuration that cannot work ends the program at once, naming every bad variable (exit 78).
 */
export function configFromEnvironment(): Config {
  if (existsSync('.env')) process.loadEnvFile('.env');
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nSee .env.example for every variable.\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}

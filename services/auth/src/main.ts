import { runMain } from '@expe/server-kit';
import { loadAuthConfig } from './config.js';
import { startAuth } from './app.js';

runMain('auth', () => startAuth(loadAuthConfig()));

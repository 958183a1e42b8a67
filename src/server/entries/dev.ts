/**
 * The proxy inside `npm run dev`: Vite serves the SPA with hot reload and hands `/api` here.
 * Vite re-evaluates this module when server code changes, so the app is rebuilt on edit.
 */
import { bootstrap } from '../bootstrap';
import { storeFor } from '../sqlite-store';

export const { app } = bootstrap(process.env, { store: storeFor });

// A Lambda handler for notes: bundle it with
//   esbuild examples/lambda/notes-handler.ts --bundle --platform=node --external:@aws-sdk/* --outfile=out/index.js
// (add --format=esm for an ES module). Its models use no class-validator or
// class-transformer decorators, so the bundle contains neither.
import { DynamormError } from 'dynamorm';
import './connection';
import { Note } from './note';

export interface NoteEvent {
  id: string;
  body?: string;
}

export async function handler(event: NoteEvent): Promise<{ statusCode: number; body: string }> {
  try {
    const note = event.body === undefined ? await Note.find(event.id) : await Note.create({ id: event.id, body: event.body });
    return { statusCode: 200, body: JSON.stringify(note) };
  } catch (error) {
    if (error instanceof DynamormError) return { statusCode: 400, body: JSON.stringify({ error: error.name, message: error.message }) };
    throw error;
  }
}

// The signup handler's logic, shared by signups-handler.ts (what you deploy) and the spec
// that shows what happens when a bundle forgets to register class-validator.
import { DynamormError } from 'dynamorm';
import './connection';
import { Signup } from './signup';

export interface SignupEvent {
  id: string;
  email: string;
  name: string;
}

export async function handler(event: SignupEvent): Promise<{ statusCode: number; body: string }> {
  try {
    const signup = await Signup.create({ id: event.id, email: event.email, name: event.name });
    return { statusCode: 201, body: JSON.stringify(signup) };
  } catch (error) {
    if (error instanceof DynamormError) return { statusCode: 400, body: JSON.stringify({ error: error.name, message: error.message }) };
    throw error;
  }
}

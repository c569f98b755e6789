// A process that makes a temporary file and exits without removing it: its folder must go anyway.
import { writeFile } from 'node:fs/promises';
import { newTempFile } from '@/lib/storage/temp';

const file = await newTempFile('upload');
await writeFile(file, 'half an upload');
console.log(file);
process.exit(0);

import { selectTrainingBackend } from './backend';
const c = await selectTrainingBackend();
console.log(c.name);

import { suite } from 'uvu';
import { taskStoreContract } from './contract.ts';
import { createMemoryTaskStore } from './memory.ts';

const contract = suite('the memory task store meets the TaskStore contract');
for (const c of taskStoreContract((limits) => createMemoryTaskStore(limits))) contract(c.name, c.run);
contract.run();

import { describe, expect, it } from 'vitest';
import { droppedDescription } from '../checkpoint/source';
import { baseModelName, baseReference, fileName, portableSource } from './baseModel';

describe('the base model as an export names it', () => {
  it.each([
    [
      'huggingface.co/prajjwal1/bert-tiny (main)',
      { kind: 'hub', id: 'prajjwal1/bert-tiny', revision: 'main' },
    ],
    ['folder /home/ana/models/bert-mini', { kind: 'local', name: 'bert-mini' }],
    ['folder ../models/bert-mini/', { kind: 'local', name: 'bert-mini' }],
    ['folder C:\\Users\\ana\\bert-mini', { kind: 'local', name: 'bert-mini' }],
    ['folder .', { kind: 'local', name: 'base-model' }],
    ['my-export.zip', { kind: 'local', name: 'my-export' }],
    ['dropped files', { kind: 'local', name: 'base-model' }],
    ['scratch', { kind: 'scratch' }],
  ])('%s', (source, ref) => {
    expect(baseReference(source)).toEqual(ref);
  });

  it('the Hub keeps its source; a local base keeps its name alone; from_pretrained takes the id or the name', () => {
    expect(portableSource('huggingface.co/a/b (v1)')).toBe('huggingface.co/a/b (v1)');
    expect(portableSource('folder /srv/x/bert-mini')).toBe('folder bert-mini');
    expect(portableSource('scratch')).toBe('scratch');
    expect(baseModelName(baseReference('huggingface.co/a/b (v1)'))).toBe('a/b');
    expect(baseModelName(baseReference('folder /srv/x/bert-mini'))).toBe('bert-mini');
    expect(baseModelName(baseReference('scratch'))).toBeNull();
    expect(fileName('/home/ana/data/reviews.csv')).toBe('reviews.csv');
    expect(fileName('C:\\data\\reviews.csv')).toBe('reviews.csv');
    expect(fileName('reviews.csv')).toBe('reviews.csv');
  });

  it('dropped files: one by its name, a folder by its name, loose files as such', () => {
    expect(droppedDescription(['model.zip'])).toBe('model.zip');
    expect(droppedDescription(['bert-mini/config.json', 'bert-mini/vocab.txt'])).toBe('folder bert-mini');
    expect(droppedDescription(['config.json', 'vocab.txt'])).toBe('dropped files');
    expect(droppedDescription(['a/config.json', 'b/vocab.txt'])).toBe('dropped files');
  });
});

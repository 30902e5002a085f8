import * as upload from './upload.operation';

export { upload };

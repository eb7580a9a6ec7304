// Temporary entry so the build and package pipeline can be verified; replaced by the real handler.
export const handler = async () => ({});

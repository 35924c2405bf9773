/** LiveVox's not-ready reason codes: plain data, so the renderer can list them without loading zod. */
export const NOT_READY_REASONS = ['BREAK', 'LUNCH', 'MEETING', 'OTHER', 'TECH_DIFFICULTIES', 'TRAINING'] as const;
export type NotReadyReason = (typeof NOT_READY_REASONS)[number];

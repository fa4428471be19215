export async function compare(_a: string[]): Promise<number> { return 0; }

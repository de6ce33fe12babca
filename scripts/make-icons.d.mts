export declare const PNG_SIZES: number[]
export declare function icoFile(images: { size: number; png: Buffer }[]): Buffer
export declare function icnsFile(entries: { type: string; png: Buffer }[]): Buffer
export declare function makeIcons(svgFile: string, outDir: string): Promise<void>

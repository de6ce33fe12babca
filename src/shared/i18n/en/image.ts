export const image = {
  'image.empty': 'The file is empty (0 bytes). Choose a picture: PNG, JPEG, WebP, GIF or BMP.',
  'image.isSvg': 'This file is an SVG drawing, not a photo: save it as PNG or JPEG.',
  'image.isHtml':
    'This file is a web page (HTML), not a picture. Save the image itself as PNG or JPEG.',
  'image.isXml': 'This file is an XML document, not a picture. Save the image as PNG or JPEG.',
  'image.isText':
    'This file contains text, not a picture. Choose a PNG, JPEG, WebP, GIF or BMP image.',
  'image.notAnImage':
    'This file is a {format} file, not a picture. Choose a PNG, JPEG, WebP, GIF or BMP image.',
  'image.unsupportedFormat':
    'This is a {format} image, which Sinapse does not read. Save it as PNG or JPEG.',
  'image.unknownFormat':
    'This file is not a picture Sinapse can read: it is not PNG, JPEG, WebP, GIF or BMP. Save it in one of those formats.',
  'image.corrupt':
    'This {format} file is damaged or incomplete, so it cannot be read. Save or download it again.',
  'image.bmpUnsupported':
    'This BMP file uses {feature}, which Sinapse does not read. Save it as PNG.',
  'image.tooManyPixels':
    '{width}×{height} pixels is too large (limit {limit} megapixels). Resize the image or crop it around the digit.',
  'image.fileTooLarge':
    'The file is {size} MB, more than the {limit} MB limit. Use a smaller image (a phone photo is usually 2 to 5 MB).',
  'image.fileNotFound': 'There is no file at {path}. Check the name and the folder.',
  'image.notAFile': '{path} is a folder or a device, not an image file.',
  'image.badPixels':
    'The image data is malformed ({width}×{height}, {channels} channels, {length} bytes). Save the image again as PNG and retry.',
  'image.warning.noInk':
    'No digit found: the image looks blank. Write the digit darker or take the photo closer.',
  'image.warning.multipleBlobs':
    'This looks like more than one mark or digit. Keep a single digit in the image, or crop it.',
  'image.warning.tinyInk':
    'The digit is very small in this image, so details may be lost. Crop the image around the digit.',
} as const

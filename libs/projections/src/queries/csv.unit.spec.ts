import { csvCell } from './figures';

describe('CSV cells', () => {
  it.each([
    ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ['+1+2', "'+1+2"],
    ['-2', "'-2"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['torture-prevention', 'torture-prevention'],
    ['a, b', '"a, b"'],
  ])('makes %j safe to open in a spreadsheet', (value, cell) => expect(csvCell(value)).toBe(cell));
});

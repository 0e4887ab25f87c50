import {createContext, useContext} from 'react';
import {type Glyphs, unicodeGlyphs} from './glyphs.js';
import {colourPalette, type Palette} from './palette.js';

/** Characters and colours, chosen once at start (--ascii, locale, NO_COLOR) and read by every view. */
export type Theme = {
	glyphs: Glyphs;
	palette: Palette;
	/** False with NO_COLOR: bold, dim and inverse stay, colours go. */
	colours: boolean;
};

export const ThemeContext = createContext<Theme>({glyphs: unicodeGlyphs, palette: colourPalette, colours: true});

export function useTheme(): Theme {
	return useContext(ThemeContext);
}

"""Render the failure workbook from live results."""

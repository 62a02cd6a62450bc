"""The chapters' templates and prose, and the helpers a single chapter needs beside its template."""

#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* sum_of_squares(n) -> 0*0 + 1*1 + ... + (n-1)*(n-1), as a Python int */
static PyObject *sum_of_squares(PyObject *self, PyObject *args) {
    long long n;
    if (!PyArg_ParseTuple(args, "L", &n))
        return NULL;
    unsigned long long total = 0;
    for (long long i = 0; i < n; i++)
        total += (unsigned long long)(i * i);
    return PyLong_FromUnsignedLongLong(total);
}

static PyMethodDef methods[] = {
    {"sum_of_squares", sum_of_squares, METH_VARARGS, "Sum of i*i for i in range(n)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_speedups", NULL, -1, methods};

PyMODINIT_FUNC PyInit__speedups(void) { return PyModule_Create(&module); }
